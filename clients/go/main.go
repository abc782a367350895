// Command kq-franz drives franz-go (kgo, kadm) at its defaults for kq's client matrix
// (test/clients/drivers/franz-go.ts). Its command line is the one every harness shares:
//
//	kq-franz BOOTSTRAP version
//	kq-franz BOOTSTRAP produce TOPIC COUNT MODE     (MODE: acks 0, 1 or all; idempotent; default)
//	kq-franz BOOTSTRAP group TOPIC GROUP EXPECTED
//	kq-franz BOOTSTRAP create TOPIC PARTITIONS
//
// Each prints one JSON object on stdout; a failure prints the error on stderr and exits 1. Every step is
// bounded by a 30 s context, and the test kills the process group beyond its own bound.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: kq-franz BOOTSTRAP version|produce|group|create ARGS...")
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	result, err := run(ctx, os.Args[1], os.Args[2], os.Args[3:])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := json.NewEncoder(os.Stdout).Encode(result); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(ctx context.Context, bootstrap, command string, args []string) (any, error) {
	switch {
	case command == "version":
		return map[string]string{"version": moduleVersion("github.com/twmb/franz-go")}, nil
	case command == "produce" && len(args) == 3:
		count, err := strconv.Atoi(args[1])
		if err != nil {
			return nil, err
		}
		return map[string]int{"sent": count}, produce(ctx, bootstrap, args[0], count, args[2])
	case command == "group" && len(args) == 3:
		expected, err := strconv.Atoi(args[2])
		if err != nil {
			return nil, err
		}
		values, err := consumeInGroup(ctx, bootstrap, args[0], args[1], expected)
		return map[string][]string{"values": values}, err
	case command == "create" && len(args) == 2:
		partitions, err := strconv.Atoi(args[1])
		if err != nil {
			return nil, err
		}
		return createTopic(ctx, bootstrap, args[0], int32(partitions))
	}
	return nil, fmt.Errorf("unknown command %q with %d arguments", command, len(args))
}

// moduleVersion is the version of a dependency compiled into this binary (go.mod pins it).
func moduleVersion(path string) string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	for _, dep := range info.Deps {
		if dep.Path == path {
			return dep.Version
		}
	}
	return "unknown"
}

func produce(ctx context.Context, bootstrap, topic string, count int, mode string) error {
	opts := []kgo.Opt{kgo.SeedBrokers(bootstrap), kgo.RecordPartitioner(kgo.ManualPartitioner())}
	// acks other than all need idempotence off (franz-go refuses the combination otherwise, as Java does)
	switch mode {
	case "0":
		opts = append(opts, kgo.RequiredAcks(kgo.NoAck()), kgo.DisableIdempotentWrite())
	case "1":
		opts = append(opts, kgo.RequiredAcks(kgo.LeaderAck()), kgo.DisableIdempotentWrite())
	case "all":
		opts = append(opts, kgo.RequiredAcks(kgo.AllISRAcks()))
	case "default", "idempotent": // franz-go is idempotent unless told otherwise
	default:
		return fmt.Errorf("producer mode %q is not 0, 1, all, idempotent or default", mode)
	}
	client, err := kgo.NewClient(opts...)
	if err != nil {
		return err
	}
	defer client.Close()
	records := make([]*kgo.Record, count)
	for i := range records {
		records[i] = &kgo.Record{Topic: topic, Partition: 0, Value: []byte("v" + strconv.Itoa(i))}
	}
	return client.ProduceSync(ctx, records...).FirstErr()
}

func consumeInGroup(ctx context.Context, bootstrap, topic, group string, expected int) ([]string, error) {
	// franz-go starts a group without a commit at the earliest offset by default
	client, err := kgo.NewClient(
		kgo.SeedBrokers(bootstrap),
		kgo.ConsumerGroup(group),
		kgo.ConsumeTopics(topic),
		kgo.DisableAutoCommit(),
	)
	if err != nil {
		return nil, err
	}
	defer client.Close() // leaves the group
	values := []string{}
	for len(values) < expected {
		fetches := client.PollFetches(ctx)
		if ctx.Err() != nil {
			return values, fmt.Errorf("read %d of %d: %w", len(values), expected, ctx.Err())
		}
		if errs := fetches.Errors(); len(errs) > 0 {
			return values, fmt.Errorf("fetch %s/%d: %w", errs[0].Topic, errs[0].Partition, errs[0].Err)
		}
		fetches.EachRecord(func(record *kgo.Record) { values = append(values, string(record.Value)) })
	}
	return values, client.CommitUncommittedOffsets(ctx)
}

func createTopic(ctx context.Context, bootstrap, topic string, partitions int32) (map[string]any, error) {
	client, err := kgo.NewClient(kgo.SeedBrokers(bootstrap))
	if err != nil {
		return nil, err
	}
	defer client.Close()
	admin := kadm.NewClient(client)
	created, err := admin.CreateTopic(ctx, partitions, 1, nil, topic)
	if err == nil {
		err = created.Err
	}
	if err != nil {
		return nil, err
	}
	described, err := admin.ListTopics(ctx, topic)
	if err != nil {
		return nil, err
	}
	detail, ok := described[topic]
	if !ok || detail.Err != nil {
		return nil, errors.Join(fmt.Errorf("describing %s", topic), detail.Err)
	}
	all, err := admin.ListTopics(ctx)
	if err != nil {
		return nil, err
	}
	return map[string]any{"partitions": len(detail.Partitions), "listed": slices.Contains(all.Names(), topic)}, nil
}

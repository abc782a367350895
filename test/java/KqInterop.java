import java.time.Duration;
import java.util.*;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.*;
import org.apache.kafka.common.serialization.*;

/**
 * The Java reference client (kafka-clients, the version kq pins) against a broker, at its defaults: a producer
 * (acks=all, enable.idempotence=true), a consumer in a group over the classic protocol with commits, and the
 * admin client. Run with Java's source launcher: java -cp 'libs/*' KqInterop.java BOOTSTRAP COMMAND ARGS...
 * Each command prints one JSON object on stdout (what the test asserts); client logs stay at WARN on stderr.
 *
 *   produce TOPIC COUNT [key=value overrides...]   sends COUNT keyed records, prints offsets per partition
 *   consume TOPIC GROUP EXPECTED                   reads until EXPECTED records or 30 s, commitSync, prints them
 *   admin TOPIC GROUP                              create, describe, list, produce 6, list offsets, delete records,
 *                                                  describe the group, delete the topic
 *   create TOPIC PARTITIONS                        create, describe and list (the client matrix, test/clients)
 *   produce-lines TOPIC [key=value overrides...]   sends one keyed record per stdin line as it arrives; prints
 *                                                  "ack INDEX PARTITION OFFSET" (or "fail INDEX EXCEPTION") per
 *                                                  record as the broker answers; at end of stdin flushes and
 *                                                  prints {"sent":N,"acked":N,"failed":N}
 *   consume-lines TOPIC GROUP EXPECTED             polls in a group, prints "rec PARTITION OFFSET VALUE" per record
 *                                                  and commits after each poll, until EXPECTED distinct offsets or
 *                                                  90 s; prints {"distinct":N,"commitFailures":N}
 *
 * The -lines commands let a test act between records (SIGKILL a leader once some are acknowledged) and see
 * exactly what the client was told, record by record.
 */
public class KqInterop {
  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    switch (args[1]) {
      case "produce" -> produce(bootstrap, args[2], Integer.parseInt(args[3]), Arrays.copyOfRange(args, 4, args.length));
      case "consume" -> consume(bootstrap, args[2], args[3], Integer.parseInt(args[4]));
      case "admin" -> admin(bootstrap, args[2], args[3]);
      case "create" -> create(bootstrap, args[2], Integer.parseInt(args[3]));
      case "produce-lines" -> produceLines(bootstrap, args[2], Arrays.copyOfRange(args, 3, args.length));
      case "consume-lines" -> consumeLines(bootstrap, args[2], args[3], Integer.parseInt(args[4]));
      default -> throw new IllegalArgumentException("unknown command " + args[1]);
    }
  }

  static void produce(String bootstrap, String topic, int count, String[] overrides) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "45000"); // bounds a failing run; not a semantic setting
    for (String o : overrides) props.put(o.substring(0, o.indexOf('=')), o.substring(o.indexOf('=') + 1));
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
      List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
      for (int i = 0; i < count; i++) sent.add(producer.send(new ProducerRecord<>(topic, "k" + (i % 7), "v" + i)));
      producer.flush();
      Map<Integer, List<Long>> offsets = new TreeMap<>();
      for (var f : sent) {
        RecordMetadata m = f.get();
        offsets.computeIfAbsent(m.partition(), p -> new ArrayList<>()).add(m.offset());
      }
      StringBuilder out = new StringBuilder("{\"acks\":\"" + props.getOrDefault("acks", "all (default)") + "\",\"idempotence\":\""
          + props.getOrDefault("enable.idempotence", "true (default)") + "\",\"partitions\":{");
      String sep = "";
      for (var e : offsets.entrySet()) {
        out.append(sep).append('"').append(e.getKey()).append("\":").append(e.getValue());
        sep = ",";
      }
      System.out.println(out.append("}}"));
    }
  }

  static void produceLines(String bootstrap, String topic, String[] overrides) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    for (String o : overrides) props.put(o.substring(0, o.indexOf('=')), o.substring(o.indexOf('=') + 1));
    java.util.concurrent.atomic.AtomicInteger acked = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
    int sent = 0;
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props);
        java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in))) {
      for (String line; (line = in.readLine()) != null; sent++) {
        final int index = sent;
        producer.send(new ProducerRecord<>(topic, "k" + (index % 7), line), (m, e) -> {
          // Callbacks of one partition run in send order on the producer's I/O thread.
          if (e == null) {
            acked.incrementAndGet();
            printLine("ack " + index + " " + m.partition() + " " + m.offset());
          } else {
            failed.incrementAndGet();
            printLine("fail " + index + " " + e.getClass().getSimpleName());
          }
        });
      }
      producer.flush();
    }
    printLine("{\"sent\":" + sent + ",\"acked\":" + acked.get() + ",\"failed\":" + failed.get() + "}");
  }

  static void consumeLines(String bootstrap, String topic, String group, int expected) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    Set<String> distinct = new HashSet<>();
    int commitFailures = 0;
    long deadline = System.currentTimeMillis() + 90_000;
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(List.of(topic));
      while (System.currentTimeMillis() < deadline && distinct.size() < expected) {
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
        for (ConsumerRecord<String, String> r : records) {
          distinct.add(r.partition() + ":" + r.offset());
          printLine("rec " + r.partition() + " " + r.offset() + " " + r.value());
        }
        if (records.isEmpty()) continue;
        try {
          consumer.commitSync();
        } catch (KafkaException e) {
          // A commit racing a coordinator move may fail; the next poll's commit covers it.
          commitFailures++;
          printLine("commit-failed " + e.getClass().getSimpleName());
        }
      }
    }
    printLine("{\"distinct\":" + distinct.size() + ",\"commitFailures\":" + commitFailures + "}");
  }

  static synchronized void printLine(String line) {
    System.out.println(line);
    System.out.flush();
  }

  static void consume(String bootstrap, String topic, String group, int expected) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    List<String> values = new ArrayList<>();
    long deadline = System.currentTimeMillis() + 30_000;
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(List.of(topic));
      // expected 0: poll until the group has its assignment and the positions are known, then stop
      while (System.currentTimeMillis() < deadline && (values.size() < expected || consumer.assignment().isEmpty())) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) values.add(r.value());
      }
      consumer.commitSync();
      Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(consumer.assignment());
      long total = committed.values().stream().filter(Objects::nonNull).mapToLong(OffsetAndMetadata::offset).sum();
      System.out.println("{\"records\":" + values.size() + ",\"distinct\":" + new HashSet<>(values).size()
          + ",\"assigned\":" + consumer.assignment().size() + ",\"committedTotal\":" + total
          + ",\"generation\":" + consumer.groupMetadata().generationId() + ",\"values\":" + jsonStrings(values) + "}");
    }
  }

  /** Values as a JSON array of strings (the matrix's values are plain ASCII: v0, a1, ...). */
  static String jsonStrings(List<String> values) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < values.size(); i++) out.append(i == 0 ? "" : ",").append('"').append(values.get(i)).append('"');
    return out.append(']').toString();
  }

  static void create(String bootstrap, String topic, int partitions) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
      TopicDescription described = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
      boolean listed = admin.listTopics().names().get().contains(topic);
      System.out.println("{\"partitions\":" + described.partitions().size() + ",\"listed\":" + listed + "}");
    }
  }

  static void admin(String bootstrap, String topic, String group) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
      String createAgain;
      try {
        admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        createAgain = "ok";
      } catch (ExecutionException e) {
        createAgain = e.getCause().getClass().getSimpleName();
      }
      TopicDescription described = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
      boolean listed = admin.listTopics().names().get().contains(topic);
      Properties props = new Properties();
      props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
        for (int i = 0; i < 6; i++) producer.send(new ProducerRecord<>(topic, i % 3, null, "r" + i)).get();
      }
      admin.deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(1))).all().get();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
      for (int p = 0; p < 3; p++) {
        latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        earliest.put(new TopicPartition(topic, p), OffsetSpec.earliest());
      }
      long latestTotal = admin.listOffsets(latest).all().get().values().stream().mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
      long earliestTotal = admin.listOffsets(earliest).all().get().values().stream().mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
      ConsumerGroupDescription g = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
      admin.deleteTopics(List.of(topic)).all().get();
      String describeDeleted;
      try {
        admin.describeTopics(List.of(topic)).allTopicNames().get();
        describeDeleted = "ok";
      } catch (ExecutionException e) {
        describeDeleted = e.getCause().getClass().getSimpleName();
      }
      System.out.println("{\"partitions\":" + described.partitions().size() + ",\"createAgain\":\"" + createAgain
          + "\",\"listed\":" + listed + ",\"latestTotal\":" + latestTotal + ",\"earliestTotal\":" + earliestTotal
          + ",\"group\":{\"state\":\"" + g.groupState() + "\",\"type\":\"" + g.type() + "\",\"members\":" + g.members().size()
          + "},\"describeDeleted\":\"" + describeDeleted + "\"}");
    }
  }
}

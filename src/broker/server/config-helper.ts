import type { DescribeConfigsResourceResult, DescribeConfigsSynonym } from '../protocol/describe-configs/response.js';
import { configValueText } from './config-def.js';
import { KafkaConfig } from './kafka-config.js';
import type { TopicConfig } from './topic-config.js';
import {
  brokerSynonymGroup,
  ConfigSource,
  ConfigType,
  KAFKA_BROKER_DEFAULTS,
  TOPIC_CONFIG_DEFS,
  type ConfigTypeName,
} from './topic-config-defs.js';

/**
 * What DescribeConfigs (and CreateTopics v5+) report for each config: its value, source, synonyms, type and
 * documentation, computed as Kafka's `ConfigHelper` does (KIP-226). A topic config's value comes from the topic's
 * override, else from its broker synonym, else from Kafka's default; its synonyms list where it could come from,
 * most specific first, and its source is the first of them (DEFAULT_CONFIG when none). kq has no dynamic broker
 * configs, so broker values are STATIC_BROKER_CONFIG (set at start) or DEFAULT_CONFIG. Pure functions of the two
 * configs.
 */
export interface DescribeOptions {
  includeSynonyms: boolean;
  includeDocumentation: boolean;
}

/** Every topic config Kafka defines (TOPIC_CONFIG_DEFS), as `topic` and the broker's `broker` config resolve it. */
export function topicConfigEntries(
  topic: TopicConfig,
  broker: KafkaConfig,
  options: DescribeOptions,
): DescribeConfigsResourceResult[] {
  const effective = topic.effective();
  return TOPIC_CONFIG_DEFS.map((def) => {
    const value = def.implemented ? effective[def.name]! : def.kafkaDefault;
    const synonyms = def.brokerSynonym ? brokerSynonyms(def.brokerSynonym, broker) : [];
    if (topic.overrides.has(def.name)) synonyms.unshift({ name: def.name, value, source: ConfigSource.TOPIC_CONFIG });
    return entry(def.name, value, false, synonyms, def.type, def.doc, options);
  });
}

/** Every broker config kq defines, as `broker` holds it. None can change while the broker runs: all read-only. */
export function brokerConfigEntries(broker: KafkaConfig, options: DescribeOptions): DescribeConfigsResourceResult[] {
  return KafkaConfig.keys.map((key) =>
    entry(
      key.name,
      broker.valueText(key.name) ?? null,
      true,
      brokerSynonyms(key.name, broker),
      typeOf(key.type),
      key.doc,
      options,
    ),
  );
}

function entry(
  name: string,
  value: string | null,
  readOnly: boolean,
  synonyms: DescribeConfigsSynonym[],
  type: ConfigTypeName,
  doc: string,
  options: DescribeOptions,
): DescribeConfigsResourceResult {
  return {
    name,
    value,
    readOnly,
    configSource: synonyms[0]?.source ?? ConfigSource.DEFAULT_CONFIG,
    isSensitive: false,
    synonyms: options.includeSynonyms ? synonyms : [],
    configType: ConfigType[type],
    documentation: options.includeDocumentation ? doc : null,
  };
}

/**
 * Kafka's `configSynonyms(name, brokerConfigSynonyms(name))`: the values the broker config `name` (or a synonym of
 * it) has, set ones before defaults, each group in its most-specific-first order; then everything before `name`
 * itself is dropped (so `retention.ms` lists no `log.retention.hours` default: Kafka's own quirk, kept).
 */
function brokerSynonyms(name: string, broker: KafkaConfig): DescribeConfigsSynonym[] {
  const group = brokerSynonymGroup(name);
  const out: DescribeConfigsSynonym[] = [];
  for (const n of group) {
    if (broker.isSet(n))
      out.push({ name: n, value: broker.valueText(n) ?? null, source: ConfigSource.STATIC_BROKER_CONFIG });
  }
  for (const n of group) {
    const key = KafkaConfig.key(n);
    const fallback = key ? configValueText(key.defaultValue) : (KAFKA_BROKER_DEFAULTS.get(n) ?? null);
    if (fallback !== null) out.push({ name: n, value: fallback, source: ConfigSource.DEFAULT_CONFIG });
  }
  const at = out.findIndex((s) => s.name === name);
  return at < 0 ? [] : out.slice(at);
}

function typeOf(type: 'int' | 'long' | 'boolean' | 'string'): ConfigTypeName {
  switch (type) {
    case 'int':
      return 'INT';
    case 'long':
      return 'LONG';
    case 'boolean':
      return 'BOOLEAN';
    case 'string':
      return 'STRING';
  }
}

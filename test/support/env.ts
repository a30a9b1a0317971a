/** Settings that keep test resources apart from the demo's, on top of the test profile's servers. */
export const TEST_ENV = Object.freeze({
  MLG_INDEX_PREFIX: 'mlg-test-',
  MLG_EVENTS_TOPIC: 'mlg-test.events',
  MLG_DEAD_LETTER_TOPIC: 'mlg-test.events.dlq',
  MLG_CONSUMER_GROUP: 'mlg-test-ingest',
  TEMPORAL_TASK_QUEUE: 'mlg-test',
  LOG_LEVEL: 'warn',
  LOG_FORMAT: 'json',
  MLG_CHECK_ANSWERS: 'on',
});

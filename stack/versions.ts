/** Pinned versions of the servers the local stack provisions. Change one here and nowhere else. */
export const VERSIONS = Object.freeze({
  postgresMajorAtLeast: 15,
  elasticsearch: '8.19.21',
  kafka: '4.1.1',
  log4j: '2.24.3',
  temporalCli: '1.5.1',
});

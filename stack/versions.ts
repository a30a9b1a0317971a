/** Pinned versions of the servers the local stack provisions. Change one here and nowhere else. */
export const VERSIONS = Object.freeze({
  postgresMajorAtLeast: 15,
  elasticsearch: '8.19.21',
  kafka: '4.1.1',
  log4j: '2.24.3',
  temporalCli: '1.5.1',
  // The full server of the cluster profile, and its schema tool (both from the Go module proxy).
  temporalServer: '1.31.2',
  // 3.17.2: the newest whose mlflow-skinny is on the package registry here (3.18.0's is not).
  mlflow: '3.17.2',
});

"""Drives a real MLflow server with MLflow's own Python client: what the demo seeds and the tests do.

Usage: python mlflow_client.py <tracking-uri> <command> [arguments]; prints one JSON line.
  seed                                   two experiments, runs with parameters, metrics and input
                                         datasets, two registered models with versions and aliases
                                         (once: nothing when they are there already)
  train <experiment> <model> <location> <user> [alias]
                                         logs a run reading the dataset at <location>, registers a
                                         version of <model> from it, and sets the alias
  delete-version <model> <version>       deletes a model version
  webhook <url> <secret>                 (re)creates the registry webhook that notifies <url>
"""

import json
import sys

import mlflow
import pandas as pd
from mlflow import MlflowClient

REGISTRY_EVENTS = [
    "registered_model.created",
    "model_version.created",
    "model_version_tag.set",
    "model_version_tag.deleted",
    "model_version_alias.created",
    "model_version_alias.deleted",
]


def experiment_id(client, name):
    found = client.get_experiment_by_name(name)
    return found.experiment_id if found else client.create_experiment(name)


def train(client, experiment, model, location, user, alias=None, metrics=None, params=None):
    exp = experiment_id(client, experiment)
    run = client.create_run(exp, tags={"mlflow.user": user}, run_name=f"train-{model}")
    frame = pd.DataFrame({"member_id": [1, 2, 3], "watched_minutes": [10.0, 42.5, 3.0]})
    dataset = mlflow.data.from_pandas(frame, source=location, name=location.rstrip("/").split("/")[-1])
    with mlflow.start_run(run_id=run.info.run_id):
        mlflow.log_input(dataset, context="training")
        mlflow.log_params(params or {"learning_rate": "0.05", "max_depth": "6"})
        mlflow.log_metrics(metrics or {"auc": 0.87, "logloss": 0.31})
    try:
        client.create_registered_model(model, tags={"team": "personalization"}, description=f"{model}, trained by MLflow")
    except mlflow.exceptions.MlflowException as error:
        if "RESOURCE_ALREADY_EXISTS" not in str(error):
            raise
    version = client.create_model_version(model, source=f"runs:/{run.info.run_id}/model", run_id=run.info.run_id, tags={"framework": "lightgbm"})
    if alias:
        client.set_registered_model_alias(model, alias, version.version)
    return {
        "experiment_id": exp,
        "run_id": run.info.run_id,
        "model": model,
        "version": version.version,
        "dataset": {"name": dataset.name, "digest": dataset.digest},
    }


def seed(client):
    # Once per MLflow: its data stays between starts, as any MLflow's would.
    if client.search_registered_models(filter_string="name = 'ranking-lgbm'"):
        return {"created": []}
    made = [
        train(client, "ranking-experiments", "ranking-lgbm", "s3://warehouse/member_viewing_history", "alice", "challenger"),
        train(client, "ranking-experiments", "ranking-lgbm", "s3://warehouse/member_viewing_history", "alice", "champion",
              metrics={"auc": 0.89, "logloss": 0.29}, params={"learning_rate": "0.03", "max_depth": "8"}),
        train(client, "churn-experiments", "churn-classifier", "s3://warehouse/ranking_model_scores", "alice", "champion",
              metrics={"auc": 0.78, "recall": 0.64}),
        train(client, "churn-experiments", "churn-classifier", "s3://warehouse/ranking_model_scores", "alice"),
    ]
    return {"created": made}


def webhook(client, url, secret):
    for existing in client.list_webhooks():
        if existing.name == "model-lifecycle-graph":
            client.delete_webhook(existing.webhook_id)
    created = client.create_webhook(name="model-lifecycle-graph", url=url, events=REGISTRY_EVENTS, secret=secret)
    return {"webhook_id": created.webhook_id}


def main(argv):
    tracking_uri, command, *args = argv
    mlflow.set_tracking_uri(tracking_uri)
    client = MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri)
    if command == "seed":
        result = seed(client)
    elif command == "train":
        result = train(client, *args)
    elif command == "delete-version":
        client.delete_model_version(args[0], args[1])
        result = {"deleted": args}
    elif command == "webhook":
        result = webhook(client, *args)
    else:
        raise SystemExit(__doc__)
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])

"""Sends OpenLineage events with the openlineage-python client's HTTP transport, configured as a
producer would configure it (a dict like openlineage.yml), unchanged. Usage:
emit.py URL API_KEY COMPRESSION(none|gzip) NAMESPACE"""

import sys
from datetime import datetime, timezone

from openlineage.client import OpenLineageClient
from openlineage.client.event_v2 import InputDataset, Job, OutputDataset, Run, RunEvent, RunState
from openlineage.client.facet_v2 import column_lineage_dataset, schema_dataset
from openlineage.client.uuid import generate_new_uuid

url, api_key, compression, namespace = sys.argv[1:5]
transport = {"type": "http", "url": url, "auth": {"type": "api_key", "apiKey": api_key}}
if compression != "none":
    transport["compression"] = compression
client = OpenLineageClient(config={"transport": transport})

run = Run(runId=str(generate_new_uuid()))
job = Job(namespace=namespace, name="daily_orders")
orders = InputDataset(
    namespace="postgres://shop-db:5432",
    name="shop.public.orders",
    facets={"schema": schema_dataset.SchemaDatasetFacet(fields=[schema_dataset.SchemaDatasetFacetFields(name="amount", type="numeric")])},
)
totals = OutputDataset(
    namespace="s3://reports",
    name=f"{namespace}/daily_totals",
    facets={
        "columnLineage": column_lineage_dataset.ColumnLineageDatasetFacet(
            fields={
                "total": column_lineage_dataset.Fields(
                    inputFields=[
                        column_lineage_dataset.InputField(
                            namespace="postgres://shop-db:5432",
                            name="shop.public.orders",
                            field="amount",
                            transformations=[column_lineage_dataset.Transformation(type="DIRECT", subtype="AGGREGATION", description="sum")],
                        )
                    ]
                )
            }
        )
    },
)
now = lambda: datetime.now(timezone.utc).isoformat()
client.emit(RunEvent(eventType=RunState.START, eventTime=now(), run=run, job=job, producer="test", inputs=[orders], outputs=[]))
client.emit(RunEvent(eventType=RunState.COMPLETE, eventTime=now(), run=run, job=job, producer="test", inputs=[orders], outputs=[totals]))
print(run.runId)

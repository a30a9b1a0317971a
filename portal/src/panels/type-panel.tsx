import type { Entity } from '../api';
import { DatasetPanel, FeaturePanel, PipelinePanel } from './data-panels';
import { InstancePanel, ModelPanel } from './model-panels';
import { AbTestPanel, CellPanel, OwnerPanel, RunPanel, ServicePanel } from './other-panels';

type Panel = (props: { entity: Entity; asOf: string | null }) => React.JSX.Element;

/** The panel made for each kind of asset. */
const PANELS: Record<string, Panel> = {
  model: ModelPanel,
  'model-instance': InstancePanel,
  feature: FeaturePanel,
  pipeline: PipelinePanel,
  'pipeline-run': RunPanel,
  dataset: DatasetPanel,
  'ab-test': AbTestPanel,
  'ab-test-cell': CellPanel,
  user: OwnerPanel,
  team: OwnerPanel,
  service: ServicePanel,
};

export function TypePanel({ entity, asOf }: { entity: Entity; asOf: string | null }) {
  const Panel = PANELS[entity.type];
  return Panel ? <Panel entity={entity} asOf={asOf} /> : null;
}

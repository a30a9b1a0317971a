import { z } from 'zod';
import { attributesOf } from '../../domain/normalize';
import { defineConnector, edge, entity, labelsSchema, ownerEdges, ownerEmailsSchema, ptr, segment } from '../connector';

const test = z.looseObject({
  test_id: z.string().min(1),
  name: z.string(),
  description: z.string().nullable().default(null),
  cells: z.array(z.looseObject({ cell_number: z.number().int(), name: z.string() })).default([]),
  owner_emails: ownerEmailsSchema,
  labels: labelsSchema,
});

/** The native id of a cell: `{testId}.{cellNumber}`. */
export const cellId = (testId: string, cellNumber: number): string => `${testId}.${cellNumber}`;

/** The experimentation platform: A/B tests and, described by them, their cells. */
export const experiments = defineConnector({
  source: 'experiments',
  events: {
    ab_test_created: { idField: 'test_id', entityType: 'ab-test' },
    ab_test_updated: { idField: 'test_id', entityType: 'ab-test' },
    ab_test_allocation_changed: { idField: 'test_id', entityType: 'ab-test' },
  },
  entities: {
    'ab-test': {
      list: '/api/v1/tests',
      path: (id) => `/api/v1/tests/${segment(id)}`,
      normalize(payload) {
        const p = test.parse(payload);
        const self = ptr('ab-test', p.test_id);
        const cells = p.cells.map((cell) =>
          entity('ab-test-cell', cellId(p.test_id, cell.cell_number), {
            name: cell.name,
            attributes: { cellNumber: cell.cell_number, testId: p.test_id },
          }),
        );
        return {
          primary: entity('ab-test', p.test_id, {
            name: p.name,
            description: p.description,
            labels: p.labels,
            attributes: attributesOf(p, ['test_id', 'name', 'description', 'cells', 'owner_emails', 'labels']),
          }),
          dependents: cells,
          edges: [...cells.map((cell) => edge(ptr('ab-test-cell', cell.nativeId), 'cell_of', self)), ...ownerEdges(self, p.owner_emails)],
        };
      },
    },
    'ab-test-cell': {
      via: (nativeId) => ({ type: 'ab-test', lookupKey: nativeId.slice(0, Math.max(0, nativeId.lastIndexOf('.'))) || nativeId }),
    },
  },
});

import { z } from 'zod';
import { attributesOf } from '../../domain/normalize';
import { defineConnector, edge, entity, ptr, segment } from '../connector';

export const userSchema = z.looseObject({
  email: z.string().min(1),
  username: z.string().min(1),
  display_name: z.string().nullable().default(null),
  team_ids: z.array(z.string()).default([]),
  active: z.boolean().default(true),
});

const team = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  member_emails: z.array(z.string().min(1)).default([]),
  parent_team_id: z.string().nullable().default(null),
});

/**
 * The identity platform: users (addressed by email, identified by username) and teams. Membership
 * edges come from the team's member list, so a team's events alone keep them true.
 */
export const identity = defineConnector({
  source: 'identity',
  events: {
    user_updated: { idField: 'email', entityType: 'user' },
    team_updated: { idField: 'team_id', entityType: 'team' },
    team_membership_changed: { idField: 'team_id', entityType: 'team' },
  },
  entities: {
    user: {
      list: '/api/v1/users',
      path: (email) => `/api/v1/users/${segment(email)}`,
      normalize(payload) {
        const p = userSchema.parse(payload);
        return {
          primary: entity('user', p.username, {
            lookupKey: p.email,
            name: p.display_name ?? p.username,
            attributes: attributesOf(p, ['username', 'display_name']),
          }),
          dependents: [],
          edges: [],
        };
      },
    },
    team: {
      list: '/api/v1/teams',
      path: (id) => `/api/v1/teams/${segment(id)}`,
      normalize(payload) {
        const p = team.parse(payload);
        const self = ptr('team', p.id);
        return {
          primary: entity('team', p.id, { name: p.name, attributes: attributesOf(p, ['id', 'name', 'member_emails']) }),
          dependents: [],
          edges: p.member_emails.map((email) => edge({ type: 'user', email }, 'member_of', self)),
        };
      },
    },
  },
});

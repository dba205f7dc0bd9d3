import { describe, expect, it } from 'vitest';
import { originOf } from '../../src/adapters/slack/team-gate.js';
import { fromAllowedOrganisation } from '../../src/core/organisation.js';

describe('one organisation', () => {
  it('admits an event only when every organisation id it carries is allowed, or its parent is', () => {
    expect(fromAllowedOrganisation({ ids: ['T0OWN'] }, ['T0OWN'])).toBe(true);
    expect(fromAllowedOrganisation({ ids: ['T0OWN', 'TEVIL'] }, ['T0OWN'])).toBe(false);
    expect(fromAllowedOrganisation({ ids: ['T0OTHER'], parent: 'E0GRID' }, ['E0GRID'])).toBe(true);
    expect(fromAllowedOrganisation({ ids: [] }, ['T0OWN'])).toBe(false);
    expect(fromAllowedOrganisation({ ids: [] }, 'any')).toBe(true);
  });

  it("reads a Slack body's workspace, the user's home team (a Slack Connect guest) and the Grid organisation", () => {
    const post = { team_id: 'T0OWN', event: { type: 'message', team: 'T0GUEST', user_team: 'T0GUEST' } };
    expect(originOf(post)).toEqual({ ids: ['T0OWN', 'T0GUEST'], parent: null });
    expect(fromAllowedOrganisation(originOf(post), ['T0OWN'])).toBe(false);
    const click = { team: { id: 'T0OWN' }, user: { id: 'U1', team_id: 'T0OWN' }, enterprise: { id: 'E0GRID' } };
    expect(originOf(click)).toEqual({ ids: ['T0OWN'], parent: 'E0GRID' });
    expect(originOf({ team_id: 'TEVIL', command: '/acr', enterprise_id: '' })).toEqual({
      ids: ['TEVIL'],
      parent: null,
    });
  });
});

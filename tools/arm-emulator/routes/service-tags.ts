/**
 * Microsoft.Network service tags (`GET /subscriptions/{sub}/providers/Microsoft.Network/locations/{location}/serviceTags`):
 * the state file's optional `serviceTags` object (ARM's ServiceTagsListResult shape), or an empty list.
 */
import type { Route } from '../router.js';

export const NETWORK_API_VERSIONS = [
  '2024-05-01',
  '2024-03-01',
  '2024-01-01',
  '2023-11-01',
  '2023-09-01',
  '2023-05-01',
  '2023-04-01',
] as const;

export const serviceTagRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/subscriptions/{sub}/providers/Microsoft.Network/locations/{location}/serviceTags',
    resourceType: 'locations/serviceTags',
    apiVersions: NETWORK_API_VERSIONS,
    handle(ctx) {
      const tags = ctx.core.state.serviceTags();
      const body = tags
        ? structuredClone(tags)
        : {
            name: 'Public',
            id: `/subscriptions/${ctx.params.sub}/providers/Microsoft.Network/serviceTags/Public`,
            type: 'Microsoft.Network/serviceTags',
            changeNumber: '1',
            cloud: 'Public',
            values: [],
          };
      return { status: 200, body };
    },
  },
];

/** Microsoft.Resources subscriptions, as @azure/arm-resources-subscriptions 2.1 lists them (api-version 2022-12-01). */
import { armError } from '../arm-errors.js';
import { sameText } from '../ids.js';
import type { Route } from '../router.js';
import { page } from './paging.js';

export const SUBSCRIPTION_API_VERSIONS = [
  '2022-12-01',
  '2021-01-01',
  '2020-01-01',
  '2019-11-01',
  '2016-06-01',
] as const;

const route = (pattern: string, handle: Route['handle']): Route => ({
  method: 'GET',
  pattern,
  resourceType: 'subscriptions',
  apiVersions: SUBSCRIPTION_API_VERSIONS,
  handle,
});

export const subscriptionRoutes: Route[] = [
  route('/subscriptions', (ctx) => ({ status: 200, body: page(ctx, ctx.core.state.subscriptions()) })),
  route('/subscriptions/{sub}', (ctx) => {
    const s = ctx.core.state.subscriptions().find((x) => sameText(x.subscriptionId, ctx.params.sub));
    return s
      ? { status: 200, body: s }
      : armError(404, 'SubscriptionNotFound', `The subscription '${ctx.params.sub}' could not be found.`);
  }),
];

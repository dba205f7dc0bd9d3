/** `help` Reply: what the bot does and the commands it understands when @mentioned. */
import { learnMore } from './actions.js';
import { card, type AdaptiveCard, type CardAction, type Fact } from './types.js';

const COMMANDS: Fact[] = [
  {
    title: 'paste an error',
    value:
      'Paste a registry error (docker, kubectl, az, CI logs) and the bot explains it from the registry\u2019s live firewall.',
  },
  { title: 'help', value: 'This card.' },
  {
    title: 'registry',
    value: 'The firewall of a registry: name or login server, e.g. myregistry or myregistry.azurecr.io.',
  },
  { title: 'registry ip', value: 'Checks one IPv4 address against that registry\u2019s firewall.' },
  { title: 'requests', value: 'Pending access requests (with approvals).' },
  { title: 'audit registry', value: 'Recent firewall changes made through the bot.' },
];

export function renderHelp(): AdaptiveCard {
  const actions: CardAction[] = [];
  const more = learnMore('https://aka.ms/acr/firewall');
  if (more) actions.push(more);
  return card(
    [
      { type: 'TextBlock', text: 'ACR access helper', weight: 'Bolder', size: 'Medium' },
      {
        type: 'TextBlock',
        text: 'I explain Azure Container Registry errors from the registry\u2019s live network settings and offer the smallest safe fix. In channels I read every message and answer only when it holds a registry error, in its thread.',
        wrap: true,
      },
      {
        type: 'TextBlock',
        text: 'Commands (@mention me, or write to me directly)',
        weight: 'Bolder',
        spacing: 'Medium',
      },
      { type: 'FactSet', facts: COMMANDS },
    ],
    { actions, fallbackText: 'ACR access helper: commands' },
  );
}

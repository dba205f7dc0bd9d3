/**
 * What the bot says about itself when asked for help, on every platform: what it does, the commands it understands
 * (the same list the Teams app manifest offers), and where to read more. Renderers lay these out: Teams as a card,
 * Slack with its mention and slash-command forms of each command.
 */

/** Microsoft Learn's page on the registry firewall: Learn more on the help and firewall cards. */
export const FIREWALL_DOCS = 'https://aka.ms/acr/firewall';

export const HELP_WORDS = {
  title: 'ACR access helper',
  intro:
    "Paste an Azure Container Registry error (docker, kubectl, az, CI logs) in a channel I am in, or send it to me directly: I explain it from the registry's live firewall and offer the smallest safe fix. In channels I answer only messages that hold a registry error, in their thread.",
  commandsHeading: 'Commands (mention me, or write to me directly)',
  commands: [
    {
      usage: '<registry>',
      what: "The registry's firewall and IP rules: name or login server, e.g. myregistry or myregistry.azurecr.io.",
    },
    { usage: '<registry> <ip>', what: "Whether that IPv4 address gets through the registry's firewall, and why." },
    { usage: 'requests', what: 'Pending access requests, with their approvals.' },
    { usage: 'audit <registry>', what: 'Recent firewall changes made through the bot.' },
    { usage: 'help', what: 'This message.' },
  ],
  note: "Request access asks the registry's approvers for the smallest rule that fixes the error; nothing changes until they approve.",
  fallback:
    'ACR access helper: paste an ACR error, or try <registry>, <registry> <ip>, requests, audit <registry>, help.',
} as const;

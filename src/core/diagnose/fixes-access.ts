/**
 * Fixes for the errors that are not the registry firewall's: sign in, a pull role, the image reference, back-off,
 * unlocking, letting the bot read the registry, and checking the registry name.
 */
import type { Fix } from '../diagnosis.js';
import { DOCS } from './docs.js';
import { type FixTarget, scope, sh } from './fix-target.js';

export function authenticate(t: FixTarget): Fix {
  return {
    kind: 'authenticate',
    title: 'Sign in to the registry',
    detail:
      'The registry asked for credentials and got none, or expired ones: log in again (tokens from az acr login last about three hours), or check the pull secret or identity the workload uses.',
    docsUrl: DOCS.authenticationRequired,
    command: `az acr login --name ${sh(t.name ?? '<registry>')}`,
    requestable: false,
  };
}

export function grantPullRole(t: FixTarget, detail: string): Fix {
  return {
    kind: 'grant_pull_role',
    title: 'Give the identity a registry role',
    detail,
    docsUrl: DOCS.roles,
    command: `az role assignment create --assignee <principal-id> --role AcrPull --scope ${scope(t)}`,
    requestable: false,
  };
}

export function fixImageReference(t: FixTarget, repository: string | null): Fix {
  const repo = repository !== null && /^[a-z0-9][a-z0-9._/-]{0,255}$/.test(repository) ? repository : '<repository>';
  return {
    kind: 'fix_image_reference',
    title: 'Check the image name and tag',
    detail:
      'The repository or tag does not exist in this registry (or the image name lacks the registry prefix and went to Docker Hub). List the tags that exist and fix the reference.',
    docsUrl: DOCS.manifestNotFound,
    command: `az acr repository show-tags --name ${sh(t.name ?? '<registry>')} --repository ${sh(repo)}`,
    requestable: false,
  };
}

export function backOff(): Fix {
  return {
    kind: 'back_off',
    title: 'Slow down and retry later',
    detail:
      'The registry throttled the client (429). Retry with back-off and honour Retry-After, pull fewer images at once, or move to a tier with higher limits.',
    docsUrl: DOCS.skus,
    requestable: false,
  };
}

export function unlockImage(t: FixTarget, repository: string | null, reference: string | null): Fix {
  const ok = (v: string | null): v is string => v !== null && /^[A-Za-z0-9][A-Za-z0-9._/:-]{0,255}$/.test(v);
  const image = ok(repository)
    ? `${repository}${ok(reference) && !reference.startsWith('sha256:') ? `:${reference}` : ''}`
    : '<repository>:<tag>';
  return {
    kind: 'unlock_image',
    title: 'Unlock the image or free registry storage',
    detail:
      'The registry refuses writes to a locked repository or image (write-enabled false) and all writes when it is over its storage limit. Unlock it, or delete unused images.',
    docsUrl: DOCS.imageLock,
    command: `az acr repository update --name ${sh(t.name ?? '<registry>')} --image ${sh(image)} --write-enabled true`,
    requestable: false,
  };
}

export function grantBotReader(registryId: string | null): Fix {
  return {
    kind: 'grant_bot_reader',
    title: 'Let the bot read the registry',
    detail:
      "The bot's identity cannot read this registry's network settings, so it cannot explain the denial. Give it Reader (or a custom role with Microsoft.ContainerRegistry/registries/read) on the registry or its resource group.",
    docsUrl: DOCS.assignRoleCli,
    command: `az role assignment create --assignee <bot-principal-id> --role Reader --scope ${sh(registryId ?? '<registry-resource-id>')}`,
    requestable: false,
  };
}

export function checkRegistryName(_t: FixTarget, detail: string): Fix {
  return {
    kind: 'check_registry_name',
    title: 'Check the registry name and cloud',
    detail,
    docsUrl: DOCS.troubleshootAccess,
    command: 'az acr list --query "[].loginServer" --output tsv',
    requestable: false,
  };
}

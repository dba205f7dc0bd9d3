/**
 * The emulator's control API under `/_emulator/…` (JSON, no auth, never logged): what a test in another process
 * (e.g. one that SIGKILLs a bot mid-apply) uses to inject faults, hold operations, edit out of band and count calls.
 */
import type { Reply } from './arm-errors.js';
import type { EmulatorCore } from './core.js';
import type { EditSpec } from './edits.js';
import type { FaultSpec } from './faults.js';

function ok(body: unknown, status = 200): Reply {
  return { status, body };
}

function bad(message: string, status = 400): Reply {
  return { status, body: { error: { code: 'EmulatorControlError', message } } };
}

export function resetAll(core: EmulatorCore): void {
  core.state.reset();
  core.operations.reset();
  core.faults.clear();
  core.edits.clear();
  core.log.clear();
}

export function handleControl(
  core: EmulatorCore,
  method: string,
  path: string,
  query: URLSearchParams,
  body: unknown,
): Reply {
  const parts = path.split('/').filter(Boolean).slice(1); // drop "_emulator"
  const [what, sub] = parts;
  const input = (body ?? {}) as Record<string, unknown>;
  try {
    switch (`${method} ${what ?? ''}${sub ? `/${sub}` : ''}`) {
      case 'GET requests': {
        const byMethod = query.get('method');
        const byPath = query.get('path');
        const filter = { ...(byMethod ? { method: byMethod } : {}), ...(byPath ? { path: byPath } : {}) };
        return ok({ requests: core.log.list(filter) });
      }
      case 'DELETE requests':
        core.log.clear();
        return ok({ cleared: true });
      case 'GET faults':
        return ok({ faults: core.faults.list() });
      case 'POST faults':
        return ok({ id: core.faults.add(input as FaultSpec) }, 201);
      case 'DELETE faults':
        core.faults.clear();
        return ok({ cleared: true });
      case 'GET edits':
        return ok({ pending: core.edits.list(), applied: core.edits.applied });
      case 'POST edits':
        return ok({ id: core.edits.add(input as unknown as EditSpec) }, 201);
      case 'DELETE edits':
        core.edits.clear();
        return ok({ cleared: true });
      case 'GET operations':
        return ok({ operations: core.operations.list(), settings: core.operations.settings });
      case 'POST operations/hold':
        core.operations.hold(typeof input.registry === 'string' ? registryIdOf(core, input.registry) : undefined);
        return ok({ held: true });
      case 'POST operations/release':
        core.operations.release(typeof input.registry === 'string' ? registryIdOf(core, input.registry) : undefined);
        return ok({ released: true });
      case 'POST operations/fail-next':
        core.operations.failNext(
          typeof input.code === 'string'
            ? { code: input.code, message: String(input.message ?? input.code) }
            : undefined,
        );
        return ok({ armed: true });
      case 'GET settings':
        return ok({ ...core.settings, lro: core.operations.settings });
      case 'PUT settings': {
        if (typeof input.pageSize === 'number') core.settings.pageSize = input.pageSize;
        if (typeof input.latencyMs === 'number') core.settings.latencyMs = input.latencyMs;
        if (typeof input.clientAddress === 'string') core.settings.clientAddress = input.clientAddress;
        if (input.clientAddress === null) delete core.settings.clientAddress;
        if (input.lro && typeof input.lro === 'object') Object.assign(core.operations.settings, input.lro);
        return ok({ ...core.settings, lro: core.operations.settings });
      }
      case 'GET state':
        return ok(core.state.snapshot());
      case 'PUT state':
        core.state.replace(body);
        return ok({ replaced: true });
      case 'POST reset':
        resetAll(core);
        return ok({ reset: true });
      default:
        if (method === 'DELETE' && what === 'faults' && sub) {
          core.faults.remove(sub);
          return ok({ removed: sub });
        }
        return bad(`unknown control call ${method} ${path}`, 404);
    }
  } catch (err) {
    return bad((err as Error).message);
  }
}

function registryIdOf(core: EmulatorCore, nameOrId: string): string {
  const r = core.state.registryByNameOrId(nameOrId);
  if (!r) throw new Error(`no registry "${nameOrId}" in the emulator state`);
  return r.id;
}

/**
 * Drift between what the bot manages and what the registries hold. Reported,
 * never repaired behind anyone's back: a rule an active grant needs may have been taken off on purpose.
 *
 * Worth reporting: an active grant whose rule no registry rule admits any more (`rule_missing`), and a registry
 * with active grants that no longer exists (`registry_missing`). Each is reported once per grant until it is
 * resolved (then a `drift_resolved` note), so a long-standing drift does not page approvers every run. Not
 * reported: a rule the bot removed that came back (someone re-added it; not the bot's business), and rules the bot
 * never managed.
 */
import { coveringRule } from '../../core/approvals/index.js';
import type { AccessRequest, AuditEvent } from '../../core/requests/index.js';
import { AzureError } from '../azure-error.js';
import type { Grant } from '../store.js';
import type { Ctx } from './deps.js';
import type { Publisher } from './publish.js';
import { notice, when } from './views.js';
import { idKey } from '../../core/registry-ref.js';

type DriftKind = 'rule_missing' | 'registry_missing';

export interface DriftFinding {
  grantId: string;
  kind: DriftKind;
}

export class Reconciler {
  constructor(
    private readonly ctx: Ctx,
    private readonly publisher: Publisher,
  ) {}

  /** Compare every active grant with its registry; returns what it reported now. */
  async run(): Promise<DriftFinding[]> {
    const byRegistry = new Map<string, Grant[]>();
    for (const g of await this.ctx.store.activeGrants()) {
      const key = idKey(g.registryId);
      byRegistry.set(key, [...(byRegistry.get(key) ?? []), g]);
    }
    const found: DriftFinding[] = [];
    for (const grants of byRegistry.values()) {
      let rules: string[] | null;
      try {
        rules = (await this.ctx.gateway.readRegistry(grants[0]!.registryId)).ipRules;
      } catch (err) {
        if (!(err instanceof AzureError) || err.kind !== 'not_found') {
          this.ctx.logger.warn(
            { err, registryId: grants[0]!.registryId },
            'reconciler could not read a registry; trying again next run',
          );
          continue;
        }
        rules = null;
      }
      for (const g of grants) {
        const drift: DriftKind | null =
          rules === null ? 'registry_missing' : coveringRule(rules, g.rule) === null ? 'rule_missing' : null;
        const last = await this.lastDriftEvent(g.id);
        const open = last?.type === 'drift';
        if (drift && !open) {
          await this.report(g, drift, rules);
          found.push({ grantId: g.id, kind: drift });
        } else if (!drift && open) {
          await this.note(g, rules ?? []);
        }
      }
    }
    return found;
  }

  private async lastDriftEvent(grantId: string): Promise<AuditEvent | null> {
    const events = await this.ctx.store.listAudit({ requestId: grantId, limit: 10_000 });
    return (
      [...events]
        .reverse()
        .find((e) => e.type === 'drift' || (e.type === 'note' && e.details.kind === 'drift_resolved')) ?? null
    );
  }

  private async report(g: Grant, kind: DriftKind, rules: string[] | null): Promise<void> {
    const summary =
      kind === 'rule_missing'
        ? `Drift: ${g.rule} is no longer admitted on ${g.registryName}, though its grant runs until ${when(g.endsAt)} (someone changed the firewall outside the bot)`
        : `Drift: registry ${g.registryName} no longer exists, though a grant of ${g.rule} on it is active`;
    await this.audit(g, 'drift', summary, rules, { kind, endsAt: g.endsAt });
    this.ctx.logger.warn({ grantId: g.id, registryId: g.registryId, kind }, 'drift between a grant and its registry');
    const request = await this.ctx.store.getRequest(g.id);
    if (request) this.ctx.background('drift: tell approvers', () => this.tell(request, summary));
  }

  private async tell(request: AccessRequest, summary: string): Promise<void> {
    const reply = notice(
      'warning',
      'Firewall drift',
      `${summary}. The bot does not put it back by itself: revoke the grant, or ask for access again if it is still needed.`,
    );
    const sent = await this.publisher.tellApprovers(request, null, { reply });
    if (sent === 0) await this.publisher.tellApproverChannels(request, reply);
  }

  private async note(g: Grant, rules: string[]): Promise<void> {
    await this.audit(g, 'note', `Drift resolved: ${g.rule} is admitted on ${g.registryName} again`, rules, {
      kind: 'drift_resolved',
    });
  }

  /** A bot-made audit event about a grant, with the registry's rules as the reconciler read them. */
  private async audit(
    g: Grant,
    type: 'drift' | 'note',
    summary: string,
    rules: string[] | null,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.ctx.store.appendAudit({
      at: this.ctx.clock.now().toISOString(),
      type,
      requestId: g.id,
      registryId: g.registryId,
      registryName: g.registryName,
      rule: g.rule,
      actor: null,
      fromStatus: null,
      toStatus: null,
      before: rules,
      after: null,
      correlationId: null,
      summary,
      details,
    });
  }
}

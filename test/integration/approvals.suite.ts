/**
 * The approval engine, end to end on real parts (approvals-harness.ts), run against SQLite (approvals-engine.sqlite
 * .test.ts) and PostgreSQL (approvals-engine.postgres.test.ts): request → approve → the rule in the emulator → every
 * card copy updated → requester told → expiry with the test clock → rule gone, each step audited with its rule
 * diff; refusals with zero ARM writes; overlapping grants; extension, revoke, narrow, deny, cancel, timeout,
 * reminders, break-glass; ARM faults and restarts.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ActionResult, ConversationRef } from '../../src/app/chat.js';
import type { Store } from '../../src/app/store.js';
import type { Actor } from '../../src/core/actor.js';
import type { RequestFormView, RequestView } from '../../src/core/approval-views.js';
import { HOUR_MS, MINUTE_MS } from '../../src/core/policy/duration.js';
import type { AccessRequest } from '../../src/core/requests/index.js';
import type { Reply } from '../../src/core/reply.js';
import type { TestClock } from '../support/azure.js';
import { SAMPLE, startEmulator, type ArmEmulator } from '../support/emulator.js';
import {
  BOB,
  CAROL,
  DANA,
  DEV_CHANNEL,
  ERIN,
  EVE,
  FRANK,
  SLACK_CHANNEL,
  SLACK_DM,
  denial,
  startEngine,
  type Engine,
} from './approvals-harness.js';

export type OpenStore = (clock: TestClock) => Promise<Store>;
export interface StoreBackend {
  /** A fresh database for one test; `open` may be called again for a "restarted" process on the same data. */
  fresh(): Promise<{ open: OpenStore; drop(): Promise<void> }>;
}

const ACMEPROD = SAMPLE.acmeprod;
const ACMEHYBRID = ACMEPROD.replace('acmeprod', 'acmehybrid');
const GLOBEX = SAMPLE.globexapps;
const reg = (name: string): string => ACMEPROD.replace('acmeprod', name);

function expectReply<T extends Reply['type']>(r: ActionResult | Reply | null, type: T): Extract<Reply, { type: T }> {
  const reply = r && 'delivery' in r ? r.reply : (r as Reply | null);
  expect(reply?.type, JSON.stringify(reply)).toBe(type);
  return reply as Extract<Reply, { type: T }>;
}

export function approvalsSuite(backend: string, db: StoreBackend): void {
  describe(`approval engine on ${backend}`, () => {
    let emu: ArmEmulator;
    let e: Engine;
    let data: { open: OpenStore; drop(): Promise<void> };
    const extra: Engine[] = [];

    beforeAll(async () => {
      emu = await startEmulator({ lro: { pollsBeforeDone: 1, retryAfterSeconds: 0 } });
    });
    afterAll(async () => {
      await emu?.close();
    });
    beforeEach(async () => {
      emu.reset();
      data = await db.fresh();
      e = await startEngine({ emu, openStore: data.open });
    });
    afterEach(async () => {
      for (const x of extra.splice(0)) await x.close().catch(() => undefined);
      await e.close().catch(() => undefined);
      await data.drop();
    });

    const patches = (): number => emu.countRequests({ method: 'PATCH' });
    const rulesOf = (name: string): string[] =>
      (
        (emu.state.registry(name)?.properties?.networkRuleSet as { ipRules?: { value: string }[] } | undefined)
          ?.ipRules ?? []
      ).map((r) => r.value);

    /** Request access as the form would: open it, then submit it with the inputs. */
    async function request(
      who: Actor,
      opts: {
        registryId?: string;
        ip?: string;
        rule?: string;
        duration?: string;
        reason?: string;
        breakGlass?: boolean;
        conversation?: typeof DEV_CHANNEL;
      } = {},
    ): Promise<AccessRequest> {
      const ip = opts.ip ?? '20.61.14.37';
      const conv = opts.conversation ?? DEV_CHANNEL;
      const opened = await e.act(
        'request_access',
        { registryId: opts.registryId ?? ACMEPROD, rule: opts.rule ?? `${ip}/32`, ip },
        who,
        conv,
      );
      expect(opened.delivery, JSON.stringify(opened.reply)).toBe('form');
      const form = expectReply(opened, 'request_form').form;
      const submitted = await e.act(
        'submit_request',
        {
          ...form.submitData,
          reason: opts.reason ?? 'CI runner pulls images',
          duration: opts.duration ?? '2h',
          breakGlass: opts.breakGlass ?? false,
        },
        who,
        conv,
      );
      expect(submitted.delivery).toBe('private');
      return expectReply(submitted, 'request').view.request;
    }

    async function approve(r: AccessRequest, who: Actor): Promise<RequestView> {
      const out = await e.act('approve', { requestId: r.id, version: r.version }, who);
      expect(out.delivery).toBe('private');
      return expectReply(out, 'request').view;
    }

    async function refusedClick(
      verb: string,
      r: AccessRequest,
      who: Actor,
      extra: Record<string, unknown> = {},
    ): Promise<string> {
      const out = await e.act(verb, { requestId: r.id, version: r.version, ...extra }, who);
      expect(out.delivery).toBe('private');
      const n = expectReply(out, 'notice');
      expect(n.title).toBe('Not authorized');
      return n.text;
    }

    async function settled(): Promise<void> {
      await e.approvals.idle(30_000);
    }

    async function get(id: string): Promise<AccessRequest> {
      return (await e.store.getRequest(id))!;
    }

    async function auditTypes(id: string): Promise<string[]> {
      return (await e.store.listAudit({ requestId: id })).map((a) => a.type);
    }

    it('paste → Request access → form → submit → approve → rule in the registry → every card updated → requester told → expiry → rule gone, all audited', async () => {
      const diag = expectReply(await e.say(denial('acmeprod.azurecr.io', '20.61.14.37'), DANA), 'diagnoses')
        .diagnoses[0]!;
      const fix = diag.fixes.find((f) => f.requestable)!;
      expect(fix.rule).toBe('20.61.14.37/32');

      const opened = await e.act(
        'request_access',
        { registryId: diag.registry!.id, rule: fix.rule, ip: diag.finding.ip },
        DANA,
      );
      expect(opened.delivery).toBe('form');
      const form: RequestFormView = expectReply(opened, 'request_form').form;
      expect(form).toMatchObject({
        rule: '20.61.14.37/32',
        reasonRequired: true,
        defaultDuration: '4h',
        breakGlass: { available: false },
      });
      expect(form.durations.map((d) => d.value)).toEqual(['15m', '30m', '1h', '2h', '4h', '8h', '1d']);
      expect(form.approversSummary).toContain('carol@contoso.com');

      const submitted = await e.act(
        'submit_request',
        { ...form.submitData, reason: 'AKS nodes pull images', duration: '2h', breakGlass: 'false' },
        DANA,
      );
      const mine = expectReply(submitted, 'request').view;
      expect(mine).toMatchObject({
        audience: 'personal',
        actions: ['narrow', 'cancel'],
        request: { status: 'pending', durationMs: 2 * HOUR_MS },
      });
      // A double submit of the same form makes no second request.
      const again = await e.act(
        'submit_request',
        { ...form.submitData, reason: 'AKS nodes pull images', duration: '2h' },
        DANA,
      );
      expect(expectReply(again, 'request').view.request.id).toBe(mine.request.id);
      await settled();
      expect(await e.store.listRequests()).toHaveLength(1);

      // Cards: the thread, the approvers' channel, DMs to each approver (never the requester).
      const cards = await e.store.listCards(mine.request.id);
      expect(cards.map((c) => c.purpose).sort()).toEqual([
        'approver_dm',
        'approver_dm',
        'approver_dm',
        'approvers_channel',
        'thread',
      ]);
      const thread = e.notifier.sent.find(
        (s) => s.kind === 'post' && s.conversation?.conversationId === DEV_CHANNEL.conversationId,
      )!;
      expect(expectReply(thread.reply, 'request').view).toMatchObject({
        audience: 'conversation',
        actions: ['approve', 'deny', 'narrow', 'cancel'],
      });
      expect(e.notifier.dmsTo('carol@contoso.com')).toHaveLength(1);
      expect(e.notifier.dmsTo('U0BOB0001')).toHaveLength(1);
      expect(patches()).toBe(0);

      const carolView = await approve(mine.request, CAROL);
      expect(carolView.banner).toMatch(/Approved/);
      await settled();
      expect(rulesOf('acmeprod')).toEqual([
        '203.0.113.10',
        '198.51.100.0/24',
        '52.174.20.0/28',
        '20.61.14.36',
        '20.61.14.37/32',
      ]);
      expect(patches()).toBe(1);
      const applied = await get(mine.request.id);
      expect(applied).toMatchObject({ status: 'applied', endsAt: new Date(e.clock.t + 2 * HOUR_MS).toISOString() });
      expect(await e.store.getGrant(applied.id)).toMatchObject({ ruleAdded: '20.61.14.37/32', status: 'active' });

      // Every copy shows the applied card now.
      const now = e.notifier.current();
      for (const c of await e.store.listCards(applied.id)) {
        const shown = expectReply(now.get(c.messageId!)!, 'request').view;
        expect(shown.request.status, c.purpose).toBe('applied');
      }
      const told = e.notifier.dmsTo(DANA.id).map((s) => (s.reply.type === 'request' ? s.reply.view.banner : ''));
      expect(told.some((b) => b?.startsWith('Approved by Carol Diaz'))).toBe(true);
      expect(told.some((b) => b?.startsWith('Applied: 20.61.14.37/32'))).toBe(true);

      // Expiry: the test clock moves past the end; one tick expires it and the worker takes the rule off.
      e.clock.advance(2 * HOUR_MS);
      expect((await e.approvals.tick()).expired).toBe(1);
      await settled();
      expect(rulesOf('acmeprod')).toEqual(['203.0.113.10', '198.51.100.0/24', '52.174.20.0/28', '20.61.14.36']);
      expect(patches()).toBe(2);
      expect(await e.store.getGrant(applied.id)).toMatchObject({
        status: 'expired',
        ruleRemovedAt: expect.any(String),
      });

      const audit = await e.store.listAudit({ requestId: applied.id });
      expect(audit.map((a) => a.type)).toEqual([
        'requested',
        'approved',
        'apply_started',
        'applied',
        'expired',
        'rule_removed',
      ]);
      const appliedEvent = audit.find((a) => a.type === 'applied')!;
      expect(appliedEvent.details.diff).toEqual({ added: ['20.61.14.37/32'], removed: [] });
      expect(appliedEvent.correlationId).toEqual(expect.any(String));
      expect(audit.find((a) => a.type === 'rule_removed')!.details.diff).toEqual({
        added: [],
        removed: ['20.61.14.37/32'],
      });
      expect(audit.find((a) => a.type === 'approved')!.actor).toMatchObject({ id: CAROL.id });
    });

    it('2-of-N: the first approval waits, a second approver completes it; two approvers at once both count', async () => {
      const r = await request(DANA, { registryId: ACMEHYBRID, ip: '4.210.5.9' });
      const first = await approve(r, CAROL);
      expect(first.banner).toBe('Your approval is recorded (1 of 2).');
      // The same approver again: told, not counted.
      const twice = await e.act('approve', { requestId: r.id, version: 2 }, CAROL);
      expect(expectReply(twice, 'request').view.banner).toMatch(/already approved/);
      await settled();
      expect(patches()).toBe(0);
      // Bob clicks the card as it was drawn before Carol's approval: it counts, and he is told the card was old.
      expect((await approve(r, BOB)).banner).toMatch(/^Approved: .*\(Your card was out of date/);
      await settled();
      expect(await get(r.id)).toMatchObject({
        status: 'applied',
        approvals: [{ by: { id: CAROL.id } }, { by: { id: BOB.id } }],
      });
      expect(rulesOf('acmehybrid')).toContain('4.210.5.9/32');

      const s = await request(FRANK, { registryId: ACMEHYBRID, ip: '4.210.5.10' });
      await Promise.all([approve(s, BOB), approve(s, ERIN)]);
      await settled();
      expect(await get(s.id)).toMatchObject({ status: 'applied' });
      expect((await get(s.id)).approvals).toHaveLength(2);
      expect(patches()).toBe(2);
    });

    it('refusals before anyone approves, each with its reason and zero ARM writes', async () => {
      const ask = async (who: Actor, data: Record<string, unknown>, conv = DEV_CHANNEL): Promise<string> => {
        const out = await e.act('request_access', data, who, conv);
        expect(out.delivery).toBe('private');
        return expectReply(out, 'notice').text;
      };
      expect(await ask(DANA, { registryId: ACMEPROD, rule: '20.61.14.0/28', ip: '20.61.14.37' })).toMatch(
        /wider than policy allows/,
      );
      expect(await ask(DANA, { registryId: ACMEPROD, rule: '0.0.0.0/0', ip: '20.61.14.37' })).toMatch(/whole internet/);
      expect(await ask(DANA, { registryId: ACMEPROD, rule: '10.1.2.3/32', ip: '10.1.2.3' })).toMatch(
        /private \(RFC 1918\)/,
      );
      expect(await ask(DANA, { registryId: ACMEPROD, rule: '100.64.1.2/32', ip: '100.64.1.2' })).toMatch(
        /carrier-grade NAT/,
      );
      expect(await ask(DANA, { registryId: ACMEPROD, rule: '', ip: '2001:db8::7' })).toMatch(
        /IPv4 addresses and ranges only/,
      );
      expect(await ask(DANA, { registryId: GLOBEX, rule: '20.61.14.37/32', ip: '20.61.14.37' })).toMatch(
        /may not request access to globexapps/,
      );
      expect(await ask(DANA, { registryId: reg('acmeprivate'), rule: '20.61.14.37/32', ip: '20.61.14.37' })).toMatch(
        /public network access disabled/,
      );
      expect(await ask(DANA, { registryId: reg('acmefull'), rule: '20.61.14.37/32', ip: '20.61.14.37' })).toMatch(
        /200 of 200 IP rules/,
      );
      expect(
        await ask(
          DANA,
          {
            registryId: ACMEPROD.replace('rg-registry-prod', 'rg-apps').replace('acmeprod', 'acmeopen'),
            rule: '20.61.14.37/32',
            ip: '20.61.14.37',
          },
          SLACK_CHANNEL,
        ),
      ).toMatch(/default action Allow/);
      expect(
        await ask(
          BOB,
          {
            registryId: GLOBEX.replace('rg-globex', 'rg-dev').replace('globexapps', 'acmebasic'),
            rule: '20.61.14.37/32',
            ip: '20.61.14.37',
          },
          SLACK_CHANNEL,
        ),
      ).toMatch(/Basic registry: IP rules exist only on Premium/);
      expect(
        await ask({ ...DANA, id: '29:1a2b3c' }, { registryId: ACMEPROD, rule: '20.61.14.37/32', ip: '20.61.14.37' }),
      ).toMatch(/no Azure AD object id/);
      expect(await ask(DANA, { registryId: ACMEPROD, rule: '203.0.113.10/32', ip: '203.0.113.10' })).toMatch(
        /already admitted on acmeprod by the rule 203\.0\.113\.10/,
      );

      // A request that exists: self-approval, a non-approver, a deny by the requester.
      const selfReq = await request(CAROL, { ip: '51.105.77.12' });
      expect(await refusedClick('approve', selfReq, CAROL)).toMatch(/cannot approve your own request/);
      // Approvers by name where the people directory knows one (Bob asked above), the entry otherwise.
      const notApprover = await refusedClick('approve', selfReq, EVE);
      expect(notApprover).toMatch(/not an approver for acmeprod\. Approvers: carol@contoso\.com, Bob, /);
      expect(notApprover).not.toContain('U0BOB0001');
      expect(await refusedClick('deny', selfReq, EVE)).toMatch(/not an approver/);
      expect(await refusedClick('submit_revoke', selfReq, EVE)).toMatch(/Only the requester or an approver/);
      await settled();
      const refused = (await e.store.listAudit()).filter((a) => a.type === 'refused');
      expect(refused.map((a) => a.details.code)).toEqual([
        'channel_not_allowed',
        'unknown_identity',
        'self_approval',
        'not_an_approver',
        'not_an_approver',
        'not_requester',
      ]);
      expect(await get(selfReq.id)).toMatchObject({ status: 'pending', approvals: [] });
      expect(patches()).toBe(0);

      // Without a policy file nothing can be requested at all.
      const off = await startEngine({ emu, openStore: data.open, policy: null });
      extra.push(off);
      const out = await off.act(
        'request_access',
        { registryId: ACMEPROD, rule: '20.61.14.37/32', ip: '20.61.14.37' },
        DANA,
      );
      expect(expectReply(out, 'notice').text).toMatch(/POLICY_FILE/);
      expect(patches()).toBe(0);
    });

    it('overlapping grants: two requests for one IP make one rule, which stays until the last grant ends', async () => {
      const one = await request(DANA, { ip: '52.232.64.20', duration: '1h' });
      const two = await request(FRANK, { ip: '52.232.64.20', duration: '3h' });
      await Promise.all([approve(one, CAROL), approve(two, BOB)]);
      await settled();
      expect(rulesOf('acmeprod').filter((r) => r.startsWith('52.232.64.20'))).toEqual(['52.232.64.20/32']);
      expect(patches()).toBe(1);

      e.clock.advance(HOUR_MS);
      await e.approvals.tick();
      await settled();
      expect(await get(one.id)).toMatchObject({ status: 'expired' });
      expect(rulesOf('acmeprod')).toContain('52.232.64.20/32');
      expect(patches()).toBe(1);
      const kept = (await e.store.listAudit({ requestId: one.id })).find((a) => a.type === 'rule_removed')!;
      expect(kept.summary).toMatch(/kept on acmeprod: still needed by active grant/);
      expect(await e.store.getGrant(two.id)).toMatchObject({ ruleAdded: '52.232.64.20/32' });

      e.clock.advance(2 * HOUR_MS);
      await e.approvals.tick();
      await settled();
      expect(rulesOf('acmeprod')).not.toContain('52.232.64.20/32');
      expect(patches()).toBe(2);
    });

    it('a rule that already covered the address is never removed at expiry, and the apply writes nothing', async () => {
      const r = await request(DANA, { ip: '52.232.64.21', duration: '1h' });
      // Someone adds a covering rule by hand before the approval.
      emu.edits.add({ registry: 'acmeprod', addIpRules: ['52.232.64.0/24'] });
      await approve(r, CAROL);
      await settled();
      expect(await get(r.id)).toMatchObject({ status: 'applied' });
      expect(await e.store.getGrant(r.id)).toMatchObject({ ruleAdded: null });
      expect(patches()).toBe(0);
      e.clock.advance(HOUR_MS);
      await e.approvals.tick();
      await settled();
      expect(rulesOf('acmeprod')).toContain('52.232.64.0/24');
      expect(patches()).toBe(0);
      expect((await e.store.listAudit({ requestId: r.id })).at(-1)).toMatchObject({
        type: 'rule_removed',
        summary: expect.stringMatching(/the bot did not add this rule/),
      });
    });

    it('a rule added out of band between the read and the write survives the apply', async () => {
      const r = await request(DANA, { ip: '52.232.64.22' });
      // The next GET of acmeprod is the worker's planning read; the edit lands right after it is answered.
      emu.edits.add({ registry: 'acmeprod', afterGets: 1, addIpRules: ['40.40.40.40'] });
      await approve(r, CAROL);
      await settled();
      expect(rulesOf('acmeprod')).toEqual(expect.arrayContaining(['40.40.40.40', '52.232.64.22/32']));
      expect(patches()).toBe(1);
      expect(JSON.stringify(emu.requests({ method: 'PATCH' })[0]!.body)).toContain('40.40.40.40');
    });

    it('expiry warning with Extend → extension request → approved → the grant ends later, with no ARM write', async () => {
      const r = await request(DANA, { ip: '52.232.64.23', duration: '4h' });
      await approve(r, CAROL);
      await settled();
      expect(patches()).toBe(1);
      e.clock.advance(3 * HOUR_MS + 30 * MINUTE_MS);
      expect((await e.approvals.tick()).warned).toBe(1);
      await settled();
      const warning = e.notifier.dmsTo(DANA.id).at(-1)!;
      const warned = expectReply(warning.reply, 'request').view;
      expect(warned.banner).toMatch(/ends at .* Extend it/);
      expect(warned.actions).toContain('extend');

      const form = await e.act('extend', { requestId: r.id, version: warned.request.version }, DANA);
      const ef = expectReply(form, 'decision_form').form;
      expect(ef).toMatchObject({ decision: 'extend', reasonRequired: true });
      expect(await refusedClick('extend', warned.request, EVE)).toMatch(/Only the person the grant is for/);
      const asked = await e.act('submit_extend', { ...ef.submitData, duration: '2h', reason: 'release slipped' }, DANA);
      const ext = expectReply(asked, 'request').view.request;
      expect(ext).toMatchObject({
        kind: 'extension',
        extendsRequestId: r.id,
        status: 'pending',
        durationMs: 2 * HOUR_MS,
      });
      await approve(ext, BOB);
      await settled();
      expect(await get(ext.id)).toMatchObject({ status: 'applied' });
      const grant = await get(r.id);
      expect(grant.endsAt).toBe(new Date(Date.parse(r.createdAt) + 6 * HOUR_MS).toISOString());
      expect(patches()).toBe(1);

      e.clock.advance(60 * MINUTE_MS);
      expect((await e.approvals.tick()).expired).toBe(0);
      e.clock.advance(2 * HOUR_MS);
      expect((await e.approvals.tick()).expired).toBe(1);
      await settled();
      expect(rulesOf('acmeprod')).not.toContain('52.232.64.23/32');
      expect(await auditTypes(r.id)).toEqual(
        expect.arrayContaining(['expiry_warned', 'extended', 'expired', 'rule_removed']),
      );
    });

    it('revoke: an approver ends the grant now; the rule comes off and the requester is told', async () => {
      const r = await request(DANA, { ip: '52.232.64.24' });
      await approve(r, CAROL);
      await settled();
      const applied = await get(r.id);
      const form = await e.act('revoke', { requestId: r.id, version: applied.version }, BOB, SLACK_CHANNEL);
      expect(expectReply(form, 'decision_form').form.decision).toBe('revoke');
      const out = await e.act(
        'submit_revoke',
        { requestId: r.id, version: applied.version, reason: 'incident closed' },
        BOB,
        SLACK_CHANNEL,
      );
      expect(expectReply(out, 'request').view.request.status).toBe('revoked');
      await settled();
      expect(rulesOf('acmeprod')).not.toContain('52.232.64.24/32');
      expect(patches()).toBe(2);
      expect(
        e.notifier
          .dmsTo(DANA.id)
          .some(
            (s) =>
              s.reply.type === 'request' &&
              /Bob revoked your access to acmeprod: incident closed/.test(s.reply.view.banner ?? ''),
          ),
      ).toBe(true);
      const removal = (await e.store.listAudit({ requestId: r.id })).at(-1)!;
      expect(removal).toMatchObject({ type: 'rule_removed', details: { diff: { removed: ['52.232.64.24/32'] } } });
    });

    it('narrow (shorter only), deny with a reason, cancel by the requester: cards updated, requester told', async () => {
      const r = await request(DANA, { ip: '52.232.64.25', duration: '4h' });
      const form = expectReply(
        await e.act('narrow', { requestId: r.id, version: r.version }, CAROL),
        'decision_form',
      ).form;
      expect(form.durations.map((d) => d.value)).toEqual(['15m', '30m', '1h', '2h']);
      const wider = await e.act('submit_narrow', { ...form.submitData, duration: '8h' }, CAROL);
      expect(expectReply(wider, 'notice').text).toMatch(/not shorter/);
      const narrowed = await e.act('submit_narrow', { ...form.submitData, duration: '1h' }, CAROL);
      expect(expectReply(narrowed, 'request').view.request.durationMs).toBe(HOUR_MS);
      await settled();
      expect(
        e.notifier
          .dmsTo(DANA.id)
          .some((s) => s.reply.type === 'request' && /shortened your request to 1h/.test(s.reply.view.banner ?? '')),
      ).toBe(true);
      await approve(await get(r.id), BOB);
      await settled();
      const applied = await get(r.id);
      expect(Date.parse(applied.endsAt!) - Date.parse(applied.appliedAt!)).toBe(HOUR_MS);

      const d = await request(DANA, { ip: '52.232.64.26' });
      const denyForm = expectReply(
        await e.act('deny', { requestId: d.id, version: d.version }, CAROL),
        'decision_form',
      ).form;
      expect(denyForm.reasonRequired).toBe(true);
      expect(
        expectReply(await e.act('submit_deny', { ...denyForm.submitData, reason: '' }, CAROL), 'notice').title,
      ).toBe('A reason is needed');
      await e.act('submit_deny', { ...denyForm.submitData, reason: 'use the NAT gateway address' }, CAROL);
      await settled();
      expect(await get(d.id)).toMatchObject({ status: 'denied', decision: { reason: 'use the NAT gateway address' } });
      expect(
        e.notifier
          .dmsTo(DANA.id)
          .some(
            (s) =>
              s.reply.type === 'request' && s.reply.view.banner === 'Denied by Carol Diaz: use the NAT gateway address',
          ),
      ).toBe(true);
      // The loser of a race (an approval after the deny) gets a clear answer, not a change.
      const late = await e.act('approve', { requestId: d.id, version: d.version }, BOB);
      expect(expectReply(late, 'request').view.banner).toMatch(/already denied/);

      const c = await request(DANA, { ip: '52.232.64.27' });
      await e.act('cancel', { requestId: c.id, version: c.version }, DANA);
      await settled();
      expect(await get(c.id)).toMatchObject({ status: 'cancelled' });
      for (const card of await e.store.listCards(c.id)) {
        expect(expectReply(e.notifier.current().get(card.messageId!)!, 'request').view.request.status).toBe(
          'cancelled',
        );
      }
      expect(patches()).toBe(1);
    });

    it('reminders to approvers, then a timeout that tells the requester', async () => {
      const r = await request(DANA, { ip: '52.232.64.28' });
      await settled();
      const before = e.notifier.dmsTo('U0BOB0001').length;
      e.clock.advance(4 * HOUR_MS);
      expect((await e.approvals.tick()).reminded).toBe(1);
      await settled();
      const dm = e.notifier.dmsTo('U0BOB0001');
      expect(dm.length).toBe(before + 1);
      expect(expectReply(dm.at(-1)!.reply, 'request').view).toMatchObject({
        banner: expect.stringMatching(/^Reminder:/),
        actions: ['approve', 'deny', 'narrow'],
      });
      e.clock.advance(4 * HOUR_MS);
      expect((await e.approvals.tick()).reminded).toBe(1);
      e.clock.advance(16 * HOUR_MS);
      const t = await e.approvals.tick();
      expect(t.timedOut).toBe(1);
      await settled();
      expect(await get(r.id)).toMatchObject({ status: 'timed_out', remindersSent: 2 });
      expect(
        e.notifier
          .dmsTo(DANA.id)
          .some((s) => s.reply.type === 'request' && /timed out/.test(s.reply.view.banner ?? '')),
      ).toBe(true);
      expect(patches()).toBe(0);
    });

    it('break-glass: applied on submit with no further click, every approver and the notify channel told loudly', async () => {
      const r = await request(ERIN, {
        registryId: GLOBEX,
        ip: '20.61.14.40',
        duration: '4h',
        breakGlass: true,
        reason: 'prod is down',
        conversation: SLACK_DM(ERIN.id),
      });
      expect(r).toMatchObject({ breakGlass: true, durationMs: HOUR_MS });
      // The submit was the approval: no Approve click follows.
      expect(r.status).not.toBe('pending');
      await settled();
      expect(await get(r.id)).toMatchObject({ status: 'applied', approvals: [{ as: 'break_glass' }] });
      const loud = (s: { reply: Reply }): boolean => JSON.stringify(s.reply).includes('BREAK-GLASS');
      expect(e.notifier.dmsTo('carol@contoso.com').some(loud)).toBe(true);
      expect(e.notifier.dmsTo('U0BOB0001').some(loud)).toBe(true);
      expect(e.notifier.dmsTo('U0ERIN001').some(loud)).toBe(false);
      expect(
        e.notifier.sent.some((s) => s.kind === 'post' && s.conversation?.conversationId === 'C0APPROVERS' && loud(s)),
      ).toBe(true);
      expect(rulesOf('globexapps')).toContain('20.61.14.40/32');
    });

    for (const fault of ['429', '503', 'timeout'] as const) {
      it(`ARM ${fault} during the apply: retried, then failed retryable with Retry; Retry succeeds`, async () => {
        e = await restartWith({ gateway: { requestTimeoutMs: 400, retry: { maxRetries: 1, maxRetryAfterMs: 0 } } });
        const r = await request(DANA, { ip: '52.232.64.30' });
        const id =
          fault === 'timeout'
            ? emu.faults.add({ method: 'GET', path: '/registries/acmeprod', delayMs: 1_000, times: null })
            : emu.faults.add({
                method: 'PATCH',
                path: '/registries/acmeprod',
                status: Number(fault),
                times: null,
                ...(fault === '429' ? { retryAfterSeconds: 1 } : {}),
              });
        await approve(r, CAROL);
        await settled();
        const failed = await get(r.id);
        expect(failed).toMatchObject({ status: 'failed', apply: { retryable: true, attempts: 1 } });
        const card = expectReply(
          e.notifier.current().get((await e.store.listCards(r.id)).find((c) => c.purpose === 'thread')!.messageId!)!,
          'request',
        ).view;
        expect(card.actions).toEqual(['retry']);
        if (fault !== 'timeout')
          expect(emu.countRequests({ method: 'PATCH', status: Number(fault) })).toBeGreaterThanOrEqual(3);
        expect(rulesOf('acmeprod')).not.toContain('52.232.64.30/32');

        emu.faults.remove(id);
        const retried = await e.act('retry_apply', { requestId: r.id, version: failed.version }, DANA);
        expect(expectReply(retried, 'request').view.request.status).toBe('applying');
        await settled();
        expect(await get(r.id)).toMatchObject({ status: 'applied', apply: { attempts: 2 } });
        expect(rulesOf('acmeprod')).toContain('52.232.64.30/32');
        expect(await auditTypes(r.id)).toEqual([
          'requested',
          'approved',
          'apply_started',
          'apply_failed',
          'apply_started',
          'applied',
        ]);
      });
    }

    it("a 429 that clears within the attempts is invisible; a definitive ARM refusal fails for good, with ARM's reason", async () => {
      const r = await request(DANA, { ip: '52.232.64.31' });
      emu.faults.add({ method: 'PATCH', path: '/registries/acmeprod', status: 429, retryAfterSeconds: 0, times: 3 });
      await approve(r, CAROL);
      await settled();
      expect(await get(r.id)).toMatchObject({ status: 'applied' });

      const s = await request(DANA, { ip: '52.232.64.32' });
      emu.faults.add({
        method: 'PATCH',
        path: '/registries/acmeprod',
        status: 400,
        code: 'QuotaExceeded',
        message: 'The requested feature IP rule exceeds allowed quota 200 for the SKU Premium.',
      });
      await approve(s, CAROL);
      await settled();
      expect(await get(s.id)).toMatchObject({
        status: 'failed',
        apply: { retryable: false, lastError: expect.stringMatching(/exceeds allowed quota 200/) },
      });
      const retry = await e.act('retry_apply', { requestId: s.id }, DANA);
      expect(expectReply(retry, 'notice').text).toMatch(/a retry cannot fix/);
    });

    it('restart safety: a held operation survives stop(); a new instance resumes the saved poller and finishes, without a duplicate rule', async () => {
      const r = await request(DANA, { ip: '52.232.64.33' });
      emu.operations.hold();
      const started = emu.operations.nextStarted({ timeoutMs: 20_000 });
      await approve(r, CAROL);
      await started;
      // Wait until the poller state is on record (the resumable point), then stop this instance mid-wait.
      for (let i = 0; i < 200; i++) {
        const open = await e.store.openOperations();
        if (open.length === 1 && open[0]!.operationState !== '') break;
        await new Promise((res) => setTimeout(res, 10));
      }
      await e.approvals.stop();
      expect(await get(r.id)).toMatchObject({ status: 'applying' });
      emu.operations.release();

      const next = await restartWith({});
      await next.approvals.idle(30_000);
      expect(await next.store.getRequest(r.id)).toMatchObject({ status: 'applied' });
      expect(rulesOf('acmeprod').filter((v) => v.startsWith('52.232.64.33'))).toEqual(['52.232.64.33/32']);
      expect(patches()).toBe(1);
      expect(await next.store.openOperations()).toEqual([]);
      expect(await next.store.getGrant(r.id)).toMatchObject({ ruleAdded: '52.232.64.33/32' });
    });

    it('restart safety: a PATCH whose poller was never saved is settled by re-reading the registry', async () => {
      const r = await request(DANA, { ip: '52.232.64.34', duration: '1h' });
      // As if the process died right after the PATCH was accepted: intent on record, no poller state.
      await e.store.transition(r.id, {
        type: 'approve',
        by: { platform: 'teams', id: CAROL.id, email: CAROL.email, displayName: 'Carol Diaz' },
        as: 'approver',
      });
      await e.store.transition(r.id, { type: 'start_apply', by: null });
      const before = rulesOf('acmeprod');
      await e.store.recordOperation({
        registryId: ACMEPROD,
        kind: 'add',
        requestIds: [r.id],
        before,
        target: [...before, '52.232.64.34/32'],
        submitted: { registryId: ACMEPROD, operationState: '', correlationId: null },
      });
      emu.edits.add({ registry: 'acmeprod', addIpRules: ['52.232.64.34/32'] });
      await e.close();
      const next = await restartWith({});
      await next.approvals.idle(30_000);
      expect(await next.store.getRequest(r.id)).toMatchObject({ status: 'applied' });
      expect(await next.store.getGrant(r.id)).toMatchObject({ ruleAdded: '52.232.64.34/32' });
      expect(patches()).toBe(0);
      next.clock.advance(HOUR_MS);
      await next.approvals.tick();
      await next.approvals.idle(30_000);
      expect(rulesOf('acmeprod')).not.toContain('52.232.64.34/32');
    });

    it('a card answered in place in a 1:1 chat is a tracked copy: after Cancel it says Cancelled, with no button', async () => {
      const r = await request(DANA, { ip: '52.232.64.36' });
      const dm: ConversationRef = {
        platform: 'teams',
        kind: 'personal',
        conversationId: 'a:dana-dm',
        threadId: null,
        messageId: 'dm-card-1',
      };
      // Dana's client shows her own view of the request in her 1:1 chat, in the place of the card she clicked.
      const mine = await e.act('refresh_request', { requestId: r.id }, DANA, dm, { answerReplacesCard: true });
      expect(expectReply(mine, 'request').view.actions).toContain('cancel');
      await settled();
      await e.act('cancel', { requestId: r.id, version: r.version }, DANA);
      await settled();
      const copy = e.notifier.sent.filter((s) => s.kind === 'update' && s.messageId === 'dm-card-1').at(-1);
      expect(copy, 'the answered card was updated').toBeDefined();
      const view = expectReply({ reply: copy!.reply, delivery: 'private' }, 'request').view;
      expect(view.request.status).toBe('cancelled');
      expect(view.actions).toEqual([]);
      expect(view.status.label).toBe('Cancelled');
    });

    it('requests and audit commands', async () => {
      const r = await request(DANA, { ip: '52.232.64.35' });
      const forCarol = expectReply(await e.say('requests', CAROL), 'requests');
      expect(forCarol.title).toMatch(/1 request waiting for your decision/);
      // A snapshot list: no buttons, and it says so; what each role may do is still in the view.
      expect(forCarol.note).toMatch(/^A snapshot: this list does not change and has no buttons/);
      expect(forCarol.views[0]).toMatchObject({
        request: { id: r.id },
        audience: 'snapshot',
        actions: [],
        actionsByRole: { approver: ['approve', 'deny', 'narrow'], requester: ['narrow', 'cancel'] },
      });
      const forDana = expectReply(await e.say('requests', DANA), 'requests');
      expect(forDana.views[0]).toMatchObject({ request: { id: r.id }, actions: [] });
      expect(expectReply(await e.say('requests', EVE), 'notice').title).toBe('No requests');
      const audit = expectReply(await e.say('audit acmeprod', CAROL), 'audit').view;
      expect(audit.events.map((a) => a.type)).toEqual(['requested']);
      expect(expectReply(await e.say('audit', CAROL), 'notice').title).toBe('Check the command');
      const outsider = expectReply(
        await e.say('audit acmeprod', EVE, { ...SLACK_CHANNEL, conversationId: 'C0OTHER', channelId: 'C0OTHER' }),
        'notice',
      );
      expect(outsider.title).toBe('Not authorized');
    });

    it('reconciler: a rule an active grant needs that someone removed is reported once, to the approvers', async () => {
      const r = await request(DANA, { ip: '52.232.64.36' });
      await approve(r, CAROL);
      await settled();
      emu.edits.add({ registry: 'acmeprod', removeIpRules: ['52.232.64.36/32'] });
      expect(await e.approvals.reconcile()).toEqual([{ grantId: r.id, kind: 'rule_missing' }]);
      expect(await e.approvals.reconcile()).toEqual([]);
      await settled();
      expect((await e.store.listAudit({ requestId: r.id })).filter((a) => a.type === 'drift')).toHaveLength(1);
      expect(
        e.notifier.dmsTo('U0BOB0001').some((s) => s.reply.type === 'notice' && s.reply.title === 'Firewall drift'),
      ).toBe(true);
      emu.edits.add({ registry: 'acmeprod', addIpRules: ['52.232.64.36/32'] });
      await e.approvals.reconcile();
      expect((await e.store.listAudit({ requestId: r.id })).at(-1)).toMatchObject({
        type: 'note',
        details: { kind: 'drift_resolved' },
      });
      expect(patches()).toBe(1);
    });

    /** Replace the engine with a new one on the same database (a restarted process), keeping the clock. */
    async function restartWith(opts: { gateway?: Parameters<typeof startEngine>[0]['gateway'] }): Promise<Engine> {
      const clock = e.clock;
      await e.close().catch(() => undefined);
      e = await startEngine({ emu, openStore: data.open, clock, ...(opts.gateway ? { gateway: opts.gateway } : {}) });
      return e;
    }
  });
}

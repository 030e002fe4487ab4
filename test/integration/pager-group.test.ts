// The pager alerting a group chat (NGC) on a real local Tox network: `POST /v1/alerts` with
// `to: "group:<chat ID>"` of a group the pager's node is in. The alert waits while nobody else
// is in the group, then goes out as one group message in the 1:1 wire format, so a member's
// editor recognises it (by the pager's key in that group); `sent` is its last state.

import { strict as assert } from 'node:assert';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseAlert } from '../../src/protocol/pagerAlert';
import { type PagerServer, runPagerServe } from '../../src/cli/pager';
import { AlertStore } from '../../src/extension/pager/alertStore';
import { InProcessPort } from '../../src/pager/nodePort';
import type { NodeConfig } from '../../src/protocol/node';
import { ToxNode } from '../../src/node/nodeCore';
import { loadLibtoxcore } from '../../src/tox/loader';
import { assertLoopbackOnly } from '../helpers/netns';
import { bootstrapArg, CliPeer, tempDir } from '../helpers/peer';
import { pagerApi, type Reply } from '../helpers/pagerProcess';
import { until } from '../helpers/wait';
import { groupTexts, JOIN_MS, peerNumber } from '../helpers/groupPeers';

const TOKEN = 'integration-token-group-7c1e9a3b5d2f4e6a';
const api = (port: number, method: string, path: string, body?: unknown): Promise<Reply> => pagerApi(port, TOKEN)(method, path, body);

describe('pager: an alert to a group chat', function () {
  this.timeout(180_000);
  const peers: CliPeer[] = [];
  const dirs: string[] = [];
  let member: CliPeer;
  let node: ToxNode;
  let port: InProcessPort;
  let pager: PagerServer;
  let chatId: string;
  let pagerGroupKey: string;

  before(async () => {
    assertLoopbackOnly();
    const seed = CliPeer.start('seed');
    peers.push(seed);
    const boot = await bootstrapArg(seed);
    member = CliPeer.start('oncall', boot);
    peers.push(member);
    const s = await seed.ready();
    const profile = tempDir('pager-group');
    dirs.push(profile);
    const config: NodeConfig = {
      profile_dir: profile,
      bootstrap: [{ host: '127.0.0.1', port: s.udp_port!, public_key: s.dht_id }],
      relays: [],
      public_nodes: false,
      udp: true,
      local_discovery: false,
      accept_friends: false,
      echo: false,
      insecure_plain_profile: true,
    };
    port = new InProcessPort();
    node = new ToxNode(loadLibtoxcore(), config, port.emit);
    port.attach(node);
    node.start();
    const g = await port.request({ cmd: 'group_new', privacy: 'public', name: 'On call', nick: 'Conti pager' });
    chatId = g.chat_id;
    pagerGroupKey = (await port.request({ cmd: 'groups' })).groups[0]!.self_public_key;
    const tokenFile = join(profile, 'token');
    writeFileSync(tokenFile, `${TOKEN}\n`);
    chmodSync(tokenFile, 0o600);
    pager = await runPagerServe(port, { listen: { host: '127.0.0.1', port: 0 }, tokenFile, mirrorPackets: true });
  });

  after(async () => {
    await pager?.close();
    node?.dispose();
    port?.close();
    await Promise.all(peers.map((p) => p.stop()));
    peers.forEach((p) => p.cleanup());
    dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  it('refuses a group the pager is not in, and a malformed one', async () => {
    const other = await api(pager.http.port, 'POST', '/v1/alerts', { to: `group:${randomBytes(32).toString('hex')}`, title: 'x' });
    assert.equal(other.status, 400);
    assert.equal(other.body.error, 'bad_recipient');
    const bad = await api(pager.http.port, 'POST', '/v1/alerts', { to: 'group:1234', title: 'x' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error, 'bad_recipient');
  });

  it('an alert waits until someone is in the group, then arrives as a group message a member recognises', async () => {
    const res = await api(pager.http.port, 'POST', '/v1/alerts', {
      to: `group:${chatId.toLowerCase()}`,
      title: 'Disk full on db-2 ⚠',
      body: '/var at 98 %',
      priority: 'critical',
      ttl_s: 600,
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const id = String(res.body.id);
    const queued = await api(pager.http.port, 'GET', `/v1/alerts/${id}`);
    assert.equal(queued.body.status, 'queued', 'nobody else is in the group yet');
    assert.equal(queued.body.to, `group:${chatId}`);

    const from = member.events.length;
    const { group } = (await member.command({ cmd: 'group_join', chat_id: chatId, nick: 'On-call engineer' })) as { group: number };
    await member.event('group_self_join', (e) => e.group === group, JOIN_MS, from);
    const pagerPeer = await peerNumber(member, group, pagerGroupKey, from);
    const [text] = await groupTexts(member, group, from, 1);
    const msg = member.events.slice(from).find((e) => e.event === 'group_message')!;
    assert.equal(msg.peer, pagerPeer);
    assert.equal(msg.public_key, pagerGroupKey);
    const a = parseAlert(text);
    assert.ok(a && a.kind === 'alert', 'the group message is an alert in the 1:1 format');
    assert.equal(a.id, id);
    assert.equal(a.title, 'Disk full on db-2 ⚠');
    assert.equal(a.body, '/var at 98 %');
    assert.equal(a.priority, 'critical');
    // The member's editor: the pager (known by its key in this group) is a pager source.
    const store = new AlertStore({ isPagerSource: (k) => k === pagerGroupKey });
    assert.equal(store.offer(String(msg.public_key), 'On call', text!).kind, 'added');
    store.dispose();
    // Positive control: from any other member the same text is an ordinary message.
    assert.equal(new AlertStore({ isPagerSource: () => false }).offer(String(msg.public_key), 'x', text!).kind, 'plain');
    await until('sent', 30_000, async () => ((await api(pager.http.port, 'GET', `/v1/alerts/${id}`)).body.status === 'sent' ? true : null));
  });

  it('a one-time code goes to the group the same way', async () => {
    const group = ((await member.command({ cmd: 'groups' })) as { groups: { group: number; chat_id: string }[] }).groups.find(
      (g) => g.chat_id === chatId,
    )!.group;
    const from = member.events.length;
    const res = await api(pager.http.port, 'POST', '/v1/codes', {
      to: `group:${chatId}`,
      service: 'Conti',
      action: 'approve deploy #7',
      request_id: 'deploy-7',
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const [text] = await groupTexts(member, group, from, 1);
    const c = parseAlert(text);
    assert.ok(c && c.kind === 'code');
    assert.equal(c.requestId, 'deploy-7');
    assert.equal((await api(pager.http.port, 'POST', '/v1/codes/verify', { request_id: 'deploy-7', code: c.code })).body.ok, true);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WEBHOOK_BODY_LIMIT } from '../../src/github/webhook.js';
import { examplePayload, signedDelivery } from './deliveries.js';
import { type Harness, SECRET, sqliteHarness, waitFor } from './harness.js';

const PULL_REQUEST_ACTIONS = ['opened', 'synchronize', 'reopened', 'ready_for_review'] as const;

describe('server/webhook', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await sqliteHarness();
  });
  afterEach(() => harness.close());

  for (const action of PULL_REQUEST_ACTIONS) {
    it(`accepts pull_request.${action}, records it and queues one analysis of its head`, async () => {
      const payload = examplePayload('pull_request', action);
      const delivery = await signedDelivery('pull_request', payload, SECRET);
      const response = await harness.deliver(delivery);
      expect(response.statusCode).toBe(202);
      expect(response.json()).toEqual({ outcome: 'queued', delivery: delivery.id });
      await waitFor(() => harness.analysed.length === 1);
      const pullRequest = payload.pull_request as {
        number: number;
        draft: boolean;
        head: { sha: string };
        base: { sha: string; ref: string };
      };
      const installation = payload.installation as { id: number } | undefined;
      expect(harness.analysed).toEqual([
        {
          deliveryId: delivery.id,
          ...(installation ? { installationId: installation.id } : {}),
          owner: 'Codertocat',
          repo: 'Hello-World',
          number: pullRequest.number,
          headSha: pullRequest.head.sha,
          baseSha: pullRequest.base.sha,
          baseRef: pullRequest.base.ref,
          draft: pullRequest.draft,
        },
      ]);
      expect(harness.deliveryRows()).toEqual([delivery.id]);
    });
  }

  it('passes a draft on as a draft: the analysis decides not to comment', async () => {
    const payload = examplePayload('pull_request', 'opened');
    (payload.pull_request as { draft: boolean }).draft = true;
    expect((await harness.deliver(await signedDelivery('pull_request', payload, SECRET))).statusCode).toBe(202);
    await waitFor(() => harness.analysed.length === 1);
    expect(harness.analysed[0]?.draft).toBe(true);
  });

  for (const [event, action] of [
    ['installation', 'created'],
    ['ping', undefined],
  ] as const) {
    it(`acknowledges ${event}${action ? `.${action}` : ''} without queueing anything`, async () => {
      const delivery = await signedDelivery(event, examplePayload(event, action), SECRET);
      const response = await harness.deliver(delivery);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ outcome: 'acknowledged', delivery: delivery.id });
      expect(await harness.queue.depth()).toBe(0);
      expect(harness.deliveryRows()).toEqual([delivery.id]);
    });
  }

  it('ignores other pull request actions and other events, and counts them', async () => {
    const labeled = await signedDelivery('pull_request', examplePayload('pull_request', 'labeled'), SECRET);
    const issues = await signedDelivery('issues', { action: 'opened', issue: { number: 1 } }, SECRET);
    for (const delivery of [labeled, issues]) {
      const response = await harness.deliver(delivery);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ outcome: 'ignored', delivery: delivery.id });
    }
    expect(await harness.queue.depth()).toBe(0);
    expect(harness.analysed).toEqual([]);
    const metrics = (await harness.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('driftwatch_webhook_deliveries_total{event="pull_request",outcome="ignored"} 1');
    expect(metrics).toContain('driftwatch_webhook_deliveries_total{event="issues",outcome="ignored"} 1');
  });

  describe('deliveries that do nothing', () => {
    const opened = () => signedDelivery('pull_request', examplePayload('pull_request', 'opened'), SECRET);

    async function expectNothingDone(): Promise<void> {
      // Give a wrongly queued job the time to start.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(harness.analysed).toEqual([]);
      expect(await harness.queue.depth()).toBe(0);
      expect(harness.deliveryRows()).toEqual([]);
    }

    it('forged: signed with another secret → 401', async () => {
      const forged = await signedDelivery('pull_request', examplePayload('pull_request', 'opened'), 'not-the-secret');
      const response = await harness.deliver(forged);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ message: 'signature does not match' });
      await expectNothingDone();
    });

    it('tampered: a signed body changed afterwards → 401', async () => {
      const delivery = await opened();
      const response = await harness.deliver({ ...delivery, body: delivery.body.replace('"opened"', '"reopened"') });
      expect(response.statusCode).toBe(401);
      await expectNothingDone();
    });

    it('malformed JSON, correctly signed → 400', async () => {
      const delivery = await signedDelivery('pull_request', undefined, SECRET, { body: '{"action": "opened",' });
      const response = await harness.deliver(delivery);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ message: 'the body is not valid JSON' });
      await expectNothingDone();
    });

    it('a pull_request event without what an analysis needs, correctly signed → 400', async () => {
      const payload = examplePayload('pull_request', 'opened');
      (payload.pull_request as { head: { sha: string } }).head.sha = 'not-a-sha';
      const response = await harness.deliver(await signedDelivery('pull_request', payload, SECRET));
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ message: 'not a pull_request event: headSha: a full 40-hex commit SHA' });
      await expectNothingDone();
    });

    for (const header of ['x-hub-signature-256', 'x-github-event', 'x-github-delivery'] as const) {
      it(`missing ${header} → 400`, async () => {
        const response = await harness.deliver(await opened(), { [header]: undefined });
        expect(response.statusCode).toBe(400);
        expect(response.json()).toEqual({ message: `missing header ${header}` });
        await expectNothingDone();
      });
    }

    it('a delivery id that is not one → 400', async () => {
      const response = await harness.deliver(await opened(), { 'x-github-delivery': "1'; drop table x; --" });
      expect(response.statusCode).toBe(400);
      await expectNothingDone();
    });

    it('wrong content type (a webhook set to form encoding), correctly signed → 415', async () => {
      const payload = `payload=${encodeURIComponent(JSON.stringify(examplePayload('pull_request', 'opened')))}`;
      const delivery = await signedDelivery('pull_request', undefined, SECRET, { body: payload });
      const response = await harness.deliver(delivery, { 'content-type': 'application/x-www-form-urlencoded' });
      expect(response.statusCode).toBe(415);
      expect(response.json().message).toMatch(/application\/json/);
      await expectNothingDone();
    });

    it(`oversized: a correctly signed body over ${WEBHOOK_BODY_LIMIT} bytes → 413`, async () => {
      const payload = examplePayload('pull_request', 'opened');
      const text = JSON.stringify(payload);
      const padded = `${text.slice(0, -1)},"padding":"${'x'.repeat(WEBHOOK_BODY_LIMIT - text.length)}"}`;
      expect(Buffer.byteLength(padded)).toBeGreaterThan(WEBHOOK_BODY_LIMIT);
      const response = await harness.deliver(await signedDelivery('pull_request', undefined, SECRET, { body: padded }));
      expect(response.statusCode).toBe(413);
      await expectNothingDone();
    });

    it('a body just under the limit is accepted', async () => {
      const payload = examplePayload('pull_request', 'opened');
      const text = JSON.stringify(payload);
      const padded = `${text.slice(0, -1)},"padding":"${'x'.repeat(WEBHOOK_BODY_LIMIT - text.length - 20)}"}`;
      expect(Buffer.byteLength(padded)).toBeLessThanOrEqual(WEBHOOK_BODY_LIMIT);
      const response = await harness.deliver(await signedDelivery('pull_request', undefined, SECRET, { body: padded }));
      expect(response.statusCode).toBe(202);
    });
  });

  it('replayed: the same delivery id again → 200, recorded once, analysed once', async () => {
    const delivery = await signedDelivery('pull_request', examplePayload('pull_request', 'synchronize'), SECRET);
    expect((await harness.deliver(delivery)).statusCode).toBe(202);
    await waitFor(() => harness.analysed.length === 1);
    const replay = await harness.deliver(delivery);
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toEqual({ outcome: 'duplicate', delivery: delivery.id });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(harness.analysed).toHaveLength(1);
    expect(harness.deliveryRows()).toEqual([delivery.id]);
  });

  it('counts deliveries by event and outcome in /metrics', async () => {
    await harness.deliver(await signedDelivery('pull_request', examplePayload('pull_request', 'opened'), SECRET));
    const ping = await signedDelivery('ping', examplePayload('ping'), SECRET);
    await harness.deliver(ping);
    await harness.deliver(ping);
    await harness.deliver(await signedDelivery('pull_request', examplePayload('pull_request', 'opened'), 'forged'));
    await waitFor(() => harness.analysed.length === 1);
    await waitFor(async () =>
      (await harness.app.inject({ method: 'GET', url: '/metrics' })).body.includes('driftwatch_analyses_total'),
    );
    const response = await harness.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const lines = response.body.split('\n');
    for (const line of [
      'driftwatch_webhook_deliveries_total{event="pull_request",outcome="queued"} 1',
      'driftwatch_webhook_deliveries_total{event="ping",outcome="acknowledged"} 1',
      'driftwatch_webhook_deliveries_total{event="ping",outcome="duplicate"} 1',
      'driftwatch_webhook_deliveries_total{event="unverified",outcome="unauthorized"} 1',
      'driftwatch_analyses_total{outcome="completed"} 1',
      'driftwatch_analysis_duration_seconds_count{outcome="completed"} 1',
      'driftwatch_job_queue_depth{engine="in-process"} 0',
    ]) {
      expect(lines).toContain(line);
    }
    expect(response.body).toContain('# TYPE driftwatch_github_api_errors_total counter');
  });

  it('answers 503 while draining, before doing anything', async () => {
    harness.app.service.startDraining();
    const response = await harness.deliver(
      await signedDelivery('pull_request', examplePayload('pull_request', 'opened'), SECRET),
    );
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('30');
    expect(harness.deliveryRows()).toEqual([]);
    expect(await harness.queue.depth()).toBe(0);
  });

  it('answers 503 without the reason when the store fails, and records nothing', async () => {
    await harness.store.close();
    const response = await harness.deliver(
      await signedDelivery('pull_request', examplePayload('pull_request', 'opened'), SECRET),
    );
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ message: 'storage unavailable' });
    expect(await harness.queue.depth()).toBe(0);
  });

  it('forgets the delivery when the job cannot be queued, so that a redelivery is processed', async () => {
    await harness.queue.stop({ timeoutMs: 0 });
    const delivery = await signedDelivery('pull_request', examplePayload('pull_request', 'opened'), SECRET);
    const response = await harness.deliver(delivery);
    expect(response.statusCode).toBe(503);
    expect(harness.deliveryRows()).toEqual([]);
  });
});

describe('server/webhook with two secrets (rotation)', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await sqliteHarness({ secrets: ['new-secret', 'old-secret'] });
  });
  afterEach(() => harness.close());

  it('accepts a delivery signed with either secret and refuses any other', async () => {
    const payload = examplePayload('pull_request', 'opened');
    expect((await harness.deliver(await signedDelivery('pull_request', payload, 'new-secret'))).statusCode).toBe(202);
    expect((await harness.deliver(await signedDelivery('pull_request', payload, 'old-secret'))).statusCode).toBe(202);
    expect((await harness.deliver(await signedDelivery('pull_request', payload, 'other-secret'))).statusCode).toBe(401);
    expect(harness.deliveryRows()).toHaveLength(2);
  });
});

describe('server without GitHub settings', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await sqliteHarness({ withoutGithub: true });
  });
  afterEach(() => harness.close());

  it('has no webhook route, and still its probes', async () => {
    const delivery = await signedDelivery('ping', examplePayload('ping'), SECRET);
    const response = await harness.deliver(delivery);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ message: 'not found' });
    expect((await harness.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
  });
});

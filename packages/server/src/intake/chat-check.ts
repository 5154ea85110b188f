import {
  CredentialHosts,
  endpointOf,
  formatEndpoint,
  HostPatternError,
  parseHostPattern,
} from '@ordo/connectors';
import type { Flow, Problem } from '@ordo/engine';
import type { SqlExecutor } from '../database/db';

/** The fields each chat intake's credential must have. */
const FIELDS = {
  wecom: ['token', 'encodingAESKey', 'corpSecret'],
  dingtalk: ['appSecret'],
} as const;

const WECOM_API = 'https://qyapi.weixin.qq.com';

/**
 * What only the server can check of a flow's chat intakes (`intake.wecom`, `intake.dingtalk`):
 * that the credential is stored (a warning: callbacks are refused until it is) with the fields
 * it needs, that WeCom's app secret may be sent to its API's host, and that DingTalk's reply
 * hosts are host:port patterns (errors, naming the path).
 */
export async function chatIntakeProblems(doc: unknown, db: SqlExecutor): Promise<Problem[]> {
  const intake = (doc as Partial<Flow> | null)?.intake;
  if (!intake || typeof intake !== 'object') return [];
  const found: Problem[] = [];
  const error = (path: string, code: string, message: string) =>
    found.push({ path, code, message, severity: 'error' });
  for (const channel of ['wecom', 'dingtalk'] as const) {
    const spec = intake[channel];
    if (!spec || typeof spec !== 'object' || typeof spec.credential !== 'string') continue;
    const [row] = await db.query('SELECT fields, hosts FROM credentials WHERE name = ?', [
      spec.credential,
    ]);
    const at = `/intake/${channel}`;
    if (!row) {
      found.push({
        path: `${at}/credential`,
        code: 'unknown_credential',
        message: `No credential "${spec.credential}" is stored: store it with POST /api/credentials { name, secret: { ${FIELDS[channel].join(', ')} }, hosts } — callbacks are refused until then`,
        severity: 'warning',
      });
      continue;
    }
    const fields = JSON.parse(row.fields as string) as string[];
    const missing = FIELDS[channel].filter((f) => !fields.includes(f));
    if (missing.length)
      error(
        `${at}/credential`,
        'credential_fields',
        `The credential "${spec.credential}" has no ${missing.join(', ')}: a ${channel === 'wecom' ? 'WeCom application' : 'DingTalk robot'} needs ${FIELDS[channel].join(', ')}`,
      );
    if (channel === 'wecom') {
      const wecom = intake.wecom!;
      let endpoint;
      try {
        endpoint = endpointOf(typeof wecom.apiUrl === 'string' ? wecom.apiUrl : WECOM_API);
      } catch {
        continue; // the schema names a malformed apiUrl
      }
      const hosts = JSON.parse(row.hosts as string) as string[];
      let allowed: CredentialHosts;
      try {
        allowed = new CredentialHosts(hosts);
      } catch {
        allowed = new CredentialHosts([]);
      }
      if (!allowed.allows(endpoint.host, endpoint.port)) {
        const target = formatEndpoint(endpoint.host, endpoint.port);
        error(
          wecom.apiUrl ? `${at}/apiUrl` : `${at}/credential`,
          'credential_host',
          `Replies would send the credential "${spec.credential}" to ${target}, which is not one of its hosts (${hosts.join(', ') || 'none'}): add ${target} to them (PATCH /api/credentials/${spec.credential})`,
        );
      }
    }
  }
  const replyHosts = intake.dingtalk?.replyHosts;
  if (Array.isArray(replyHosts))
    replyHosts.forEach((host, i) => {
      try {
        parseHostPattern(String(host), 'credential');
      } catch (e) {
        if (!(e instanceof HostPatternError)) throw e;
        error(`/intake/dingtalk/replyHosts/${i}`, 'host_pattern', e.message);
      }
    });
  return found;
}

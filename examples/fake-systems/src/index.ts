import type { FakeSystem, Knobs } from './fake-system';
import { createBank } from './systems/bank';
import { createCarrier } from './systems/carrier';
import { createCrm } from './systems/crm';
import { createProduction } from './systems/production';
import { createDingTalkRobot, createWecomRobot } from './systems/robots';
import { createDingTalkSession, createWecomApp } from './systems/chat-apps';
import { createStatusSystem } from './systems/status-system';
import { createWms } from './systems/wms';
import { createErp } from './systems/erp';
import { createBinMaster, FMCG_BINS, type MasterBin } from './systems/bin-master';

export { FakeSystem, type Knobs } from './fake-system';
export {
  createBinMaster,
  FMCG_BINS,
  type MasterBin,
  createBank,
  createCarrier,
  createCrm,
  createErp,
  createDingTalkRobot,
  createDingTalkSession,
  createProduction,
  createStatusSystem,
  createWecomApp,
  createWecomRobot,
  createWms,
};
export { FAKE_DINGTALK, FAKE_WECOM_KEY, type RobotMessage } from './systems/robots';
export { type ChatReply, FAKE_DINGTALK_APP, FAKE_WECOM_APP } from './systems/chat-apps';
export {
  dingTalkHeaders,
  dingTalkText,
  wecomCallback,
  wecomEncrypt,
  type WecomKeys,
  wecomQuery,
  wecomTextXml,
  wecomVerification,
} from './systems/chat-callbacks';
export { signDelivery, type HookTarget } from './systems/status-system';

const FACTORIES = {
  crm: createCrm,
  wms: createWms,
  production: createProduction,
  carrier: createCarrier,
  bank: createBank,
  erp: createErp,
  // The four systems of the status-sync scenario, each with its own status codes.
  'crm-status': (knobs?: Partial<Knobs>) => createStatusSystem('crm', knobs),
  'erp-status': (knobs?: Partial<Knobs>) => createStatusSystem('erp', knobs),
  'wms-status': (knobs?: Partial<Knobs>) => createStatusSystem('wms', knobs),
  'tms-status': (knobs?: Partial<Knobs>) => createStatusSystem('tms', knobs),
  // Group chat robots that notifications go to.
  wecom: createWecomRobot,
  dingtalk: createDingTalkRobot,
  // The WMS's SKU → primary bin master, that a data set refreshes from.
  'bin-master': createBinMaster,
  // Chat intake: the WeCom application API and DingTalk's session webhooks, that replies go to.
  'wecom-app': createWecomApp,
  'dingtalk-session': createDingTalkSession,
};
export type SystemName = keyof typeof FACTORIES;

/** Every fake system, started on loopback (random ports unless `portBase` is given). */
export async function startFakeSystems(
  options: Partial<Record<SystemName, Partial<Knobs>>> & { portBase?: number } = {},
) {
  const names = Object.keys(FACTORIES) as SystemName[];
  const systems = {} as Record<SystemName, FakeSystem<unknown>>;
  const urls = {} as Record<SystemName, string>;
  for (const [i, name] of names.entries()) {
    systems[name] = FACTORIES[name](options[name]) as FakeSystem<unknown>;
    urls[name] = await systems[name].start(options.portBase ? options.portBase + i : 0);
  }
  return {
    urls,
    systems,
    close: () => Promise.all(names.map((n) => systems[n].close())).then(() => undefined),
  };
}
export { reservationFlow } from './flows';

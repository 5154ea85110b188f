import type { Texts } from './en';

/** The Simulate tab and its what-if comparison (Simplified Chinese). */

export const simulateZhCN: Texts['simulate'] = {
  asSystem: '以系统身份（Webhook 或定时器）：仅系统可修改的字段和转换',
  data: '测试订单数据',
  roles: '操作者角色',
  create: '创建测试订单',
  reset: '重置',
  state: '状态',
  events: '转换',
  fire: '触发',
  blocked: '受阻',
  history: '路径',
  refused: '被拒绝',
  nothingPersisted: '在浏览器中用草稿运行，不保存任何数据。',
  calls: '待答复的连接器调用',
  answer: '答复（JSON），或失败时的错误',
  succeed: '答复',
  fail: '失败',
};

export const whatIfZhCN: Texts['whatIf'] = {
  title: '假设分析',
  explain:
    '在服务器上以虚拟时间运行场景：用同一个随机种子分别模拟已保存的草稿和已发布版本，并对比各项指标。场景取自模板的 scenario.json（从模板部署的流程）；其他流程请用 ordo simulate <flow.json> --scenario <文件> 模拟。',
  unpublished: '请先发布一个版本：草稿将与它对比。',
  invalid: '请先修正草稿的问题（“问题”标签页）：有错误的草稿无法模拟。',
  days: '模拟天数',
  seed: '随机种子',
  run: '运行假设分析',
  draft: '草稿',
  published: '已发布 v{{version}}',
  figure: '指标',
  before: '之前（人工）',
  difference: '草稿 − 已发布',
  status: {
    queued: '等待中',
    running: '运行中',
    done: '已完成',
    failed: '失败',
    cancelled: '已取消',
    interrupted: '已中断',
  },
  interrupted: '模拟运行时服务器已停止：请重新运行。',
  dashboard: '打开其仪表盘',
  group: {
    table: '对照表',
    orders: '订单',
    measure: '中位数',
    counter: '计数',
    utilisation: '利用率',
  },
  orderFigures: { created: '已创建', shipped: '已发货' },
  units: { h: '小时' },
};

import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';

const en = {
  app: { title: 'Ordo', signOut: 'Sign out', language: '中文' },
  setup: {
    title: 'Create the owner account',
    intro: 'First run: this account administers Ordo.',
    create: 'Create account',
  },
  signIn: { title: 'Sign in', submit: 'Sign in' },
  field: { email: 'Email', password: 'Password', name: 'Name' },
  flows: {
    title: 'Flows',
    new: 'New flow',
    key: 'Key (lower-case, e.g. fmcg-order)',
    create: 'Create',
    none: 'No flows yet: create one.',
    published: 'v{{version}} published',
    draft: 'draft only',
    invalid: 'has errors',
  },
  editor: {
    back: 'Flows',
    addState: 'Add state',
    layout: 'Auto-layout',
    undo: 'Undo',
    redo: 'Redo',
    publish: 'Publish',
    saved: 'Draft saved',
    saving: 'Saving…',
    unsaved: 'Unsaved',
    published: 'Published version {{version}}',
    publishBlocked: 'Fix the errors to publish',
    note: 'Note for this version',
    tabs: {
      inspector: 'Inspector',
      json: 'JSON',
      problems: 'Problems ({{count}})',
      simulate: 'Simulate',
    },
    newEvent: 'Event name for the new transition',
    deleteHint: 'Select a state or transition and press Delete to remove it.',
    remotePublish: '{{flow}} was published as version {{version}} by someone else.',
  },
  inspector: {
    nothing: 'Select a state or a transition on the canvas.',
    id: 'Id',
    label: 'Label',
    initial: 'Initial',
    final: 'Final',
    event: 'Event',
    auto: 'Automatic',
    guard: 'Guard (json-logic)',
    roles: 'Roles (comma-separated)',
    from: 'From',
    to: 'To',
    apply: 'Apply',
    invalidJson: 'Not valid JSON',
  },
  json: { apply: 'Apply to canvas', invalid: 'Not valid JSON: {{message}}' },
  problems: { none: 'No problems.' },
  simulate: {
    data: 'Order data (JSON)',
    roles: 'Roles of the actor',
    create: 'Create test order',
    reset: 'Reset',
    state: 'State',
    events: 'Transitions',
    fire: 'Fire',
    blocked: 'Blocked',
    history: 'Path',
    refused: 'Refused',
    nothingPersisted: 'Runs in the browser with the draft; nothing is saved.',
  },
};

const zh: typeof en = {
  app: { title: 'Ordo', signOut: '退出', language: 'English' },
  setup: { title: '创建所有者账户', intro: '首次运行：此账户管理 Ordo。', create: '创建账户' },
  signIn: { title: '登录', submit: '登录' },
  field: { email: '邮箱', password: '密码', name: '姓名' },
  flows: {
    title: '流程',
    new: '新建流程',
    key: '标识（小写，如 fmcg-order）',
    create: '创建',
    none: '还没有流程：新建一个。',
    published: '已发布 v{{version}}',
    draft: '仅草稿',
    invalid: '有错误',
  },
  editor: {
    back: '流程',
    addState: '添加状态',
    layout: '自动布局',
    undo: '撤销',
    redo: '重做',
    publish: '发布',
    saved: '草稿已保存',
    saving: '保存中…',
    unsaved: '未保存',
    published: '已发布版本 {{version}}',
    publishBlocked: '修正错误后才能发布',
    note: '本版本说明',
    tabs: { inspector: '属性', json: 'JSON', problems: '问题（{{count}}）', simulate: '模拟' },
    newEvent: '新转换的事件名',
    deleteHint: '选中状态或转换后按 Delete 删除。',
    remotePublish: '{{flow}} 已被他人发布为版本 {{version}}。',
  },
  inspector: {
    nothing: '在画布上选择一个状态或转换。',
    id: '标识',
    label: '名称',
    initial: '初始',
    final: '终止',
    event: '事件',
    auto: '自动',
    guard: '守卫条件（json-logic）',
    roles: '角色（逗号分隔）',
    from: '从',
    to: '到',
    apply: '应用',
    invalidJson: 'JSON 无效',
  },
  json: { apply: '应用到画布', invalid: 'JSON 无效：{{message}}' },
  problems: { none: '没有问题。' },
  simulate: {
    data: '订单数据（JSON）',
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
  },
};

const saved = typeof localStorage !== 'undefined' ? localStorage.getItem('ordo.locale') : null;

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, 'zh-CN': { translation: zh } },
  lng:
    saved ??
    (typeof navigator !== 'undefined' && navigator.language.startsWith('zh') ? 'zh-CN' : 'en'),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
});

/** Switches the language for this user (kept in the browser). */
export function toggleLanguage(): void {
  const next = i18n.language === 'zh-CN' ? 'en' : 'zh-CN';
  localStorage.setItem('ordo.locale', next);
  void i18n.changeLanguage(next);
}

export default i18n;

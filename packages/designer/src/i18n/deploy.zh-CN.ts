import type { deployEn } from './deploy.en';

/** 模板部署表单的中文文本（连接器设置与凭据）。 */
export const deployZhCN: typeof deployEn = {
  title: '部署{{name}}',
  intro:
    '每个连接器的地址与凭据。默认值是模板的演示配置：本机上的模拟系统与占位密钥。修改它们即可让流程对接你的系统。',
  loading: '正在加载连接器…',
  cancel: '取消',
  defaults: '演示默认值（模拟系统）',
  changed: '你的系统',
  credential: '凭据',
  credentialState: { placeholder: '占位', stored: '已保存', optional: '可选' },
  credentialHint: {
    placeholder: '尚未保存：除非你在此填写真实值，否则将保存随机占位密钥。之后可在“集成”页面替换。',
    stored: '已保存：留空则保留原值，填写新值则替换。',
    optional: '仅当你的系统需要时填写（例如使用 API 密钥或 Bearer 认证）。',
  },
  credentialPlaceholder: {
    placeholder: '随机占位值',
    stored: '已保存（不变）',
    optional: '无',
  },
  bad: {
    number: '不是数字',
    lines: '每行一个“名称: 值”',
    json: '不是有效的 JSON',
  },
  connectorTypes: {
    http: 'HTTP（任意 REST 接口）',
    webhook: '出站 Webhook',
    email: '邮件（SMTP）',
    wecom: '企业微信群机器人',
    dingtalk: '钉钉群机器人',
    slack: 'Slack 传入 Webhook',
    'wecom-app': '企业微信应用（发给成员的消息）',
    'dingtalk-session': '钉钉机器人回复（会话 Webhook）',
  },
  setting: {
    baseUrl: '基础地址',
    auth: '认证方式',
    apiKeyHeader: 'API 密钥请求头',
    headers: '附加请求头（每行“名称: 值”）',
    url: '地址',
    host: '主机',
    port: '端口',
    secure: 'TLS',
    from: '发件人',
    to: '收件人',
    apiKey: 'API 密钥',
    token: '令牌',
    username: '用户名',
    password: '密码',
    secret: '密钥',
    key: '密钥',
    accessToken: '访问令牌',
  },
  choice: {
    auth: { none: '无', apiKey: 'API 密钥', bearer: 'Bearer 令牌', basic: '用户名与密码' },
  },
};

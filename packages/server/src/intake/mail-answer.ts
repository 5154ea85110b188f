import type { UnderstoodLine } from '@ordo/engine';
import type { MessageProblem, MessageRecord } from './message-records';
import type { AnswerLanguage } from './sender-language';

/** Problems, and lines understood, listed in an answer at most; the record keeps them all. */
const SHOWN = 50;

/** The words of an answer, in each language a sender is answered in. */
const WORDS = {
  en: {
    where: (p: MessageProblem) =>
      [
        p.file,
        p.line ? (p.file ? `row ${p.line}` : `line ${p.line}`) : undefined,
        p.column && `column ${p.column}`,
      ]
        .filter(Boolean)
        .join(', ') || 'the message',
    line: (n: number) => `line ${n}`,
    failed: 'could not be processed yet',
    created: (orders: number, problems: number) =>
      `${orders} order(s) created${problems ? `, ${problems} problem(s)` : ''}`,
    none: 'no order created',
    opening: (id: string, subject: string, to: string, headline: string) =>
      `Your message${id ? ` ${id}` : ''}${subject ? ` ("${subject}")` : ''} to ${to}: ${headline}.`,
    orders: 'Orders created (their references):',
    understood: 'Understood:',
    later: 'It will be looked at; you need not send it again:',
    refused: 'Not understood or refused:',
    more: (n: number) => `  … and ${n} more`,
    problem: (p: MessageProblem) => p.message,
    reference: (id: string) => `Reference of this message in Ordo: ${id}`,
    chatOpening: (headline: string) => `Your order message: ${headline}.`,
    subject: (original: string, headline: string) =>
      `Re: ${original || 'your order'} — ${headline}`,
  },
  'zh-CN': {
    where: (p: MessageProblem) =>
      [
        p.file && `附件 ${p.file}`,
        p.line ? `第 ${p.line} 行` : undefined,
        p.column && `“${p.column}”列`,
      ]
        .filter(Boolean)
        .join(' ') || '邮件',
    line: (n: number) => `第 ${n} 行`,
    failed: '暂时无法处理',
    created: (orders: number, problems: number) =>
      `已创建 ${orders} 个订单${problems ? `，${problems} 个问题` : ''}`,
    none: '未创建订单',
    opening: (id: string, subject: string, to: string, headline: string) =>
      `您发至 ${to} 的邮件${id ? ` ${id}` : ''}${subject ? `（“${subject}”）` : ''}：${headline}。`,
    orders: '已创建的订单（编号）：',
    understood: '已识别：',
    later: '我们会尽快处理，您无需重新发送：',
    refused: '未能识别或被拒绝：',
    more: (n: number) => `  …另有 ${n} 条`,
    // The reason in Chinese by its code; the detail (which names the sender's own words) follows.
    problem: (p: MessageProblem) => {
      const reason = ZH_REASONS[p.code];
      return reason ? `${reason}（${p.message}）` : p.message;
    },
    reference: (id: string) => `此邮件在 Ordo 中的编号：${id}`,
    chatOpening: (headline: string) => `您的订单消息：${headline}。`,
    subject: (original: string, headline: string) =>
      `回复：${original || '您的订单'} — ${headline}`,
  },
} satisfies Record<AnswerLanguage, unknown>;

/** The reasons of the problems an answer names most, in Chinese. */
const ZH_REASONS: Record<string, string> = {
  unrecognized_line: '这一行既不是表头字段，也不是订单行',
  bad_value: '数值有误',
  unknown_value: '没有这个编码',
  empty_value: '字段没有填写内容',
  line_too_long: '这一行太长',
  message_too_large: '邮件太大',
  no_order_lines: '没有找到订单行',
  no_mapping: '此流程不接收邮件附件表格',
  no_message_format: '此流程不读取邮件正文，请附上 CSV 或 Excel 表格',
  unknown_column: '表格缺少列',
  unreadable: '附件无法读取',
  unsafe_path: '列映射的目标不安全',
  bad_target: '列映射的目标有误',
  invalid_data: '订单数据不符合要求',
  required: '缺少必填内容',
  type: '数据类型不对',
  range: '数值超出范围',
  rule_failed: '订单未通过检查',
  guard_failed: '订单未通过检查',
  order_refused: '订单被拒绝',
  order_mismatch: '同一订单的各行内容不一致',
  duplicate_external_ref: '订单编号重复',
  sender_refused: '不接受此发件人',
  failed: '处理失败',
};

/** A chat message's answer says 消息 (message) where an e-mail's says 邮件 (e-mail). */
const CHAT_ZH = (text: string) => text.replace(/^邮件$|^此邮件/, (w) => w.replace('邮件', '消息'));

/**
 * The answer to a sender, in its language: the references of the orders created, the body
 * lines understood, or the problems by line. A chat message (`medium: 'chat'`) gets the same
 * lists under a one-line opening, without the e-mail's subject and addresses.
 */
export function answerText(
  record: MessageRecord,
  medium: 'email' | 'chat' = 'email',
): { subject: string; text: string } {
  const words = WORDS[record.language ?? 'en'];
  const original = (record.subject ?? '').slice(0, 100);
  const created = record.orders.length;
  const headline =
    record.outcome === 'failed'
      ? words.failed
      : created
        ? words.created(created, record.problems.length)
        : words.none;
  const lines = [
    medium === 'chat'
      ? words.chatOpening(headline)
      : words.opening(record.messageId ?? '', original, record.to.join(', '), headline),
    '',
  ];
  const list = <T>(title: string, items: readonly T[], show: (item: T) => string) => {
    if (!items.length) return;
    lines.push(title);
    for (const item of items.slice(0, SHOWN)) lines.push(`  ${show(item)}`);
    if (items.length > SHOWN) lines.push(words.more(items.length - SHOWN));
    lines.push('');
  };
  list(words.orders, record.orders, (o) => o.externalRef);
  list(words.understood, understoodLines(record), (u) => `${words.line(u.line)}: ${u.text}`);
  const chat = (text: string) => (medium === 'chat' ? CHAT_ZH(text) : text);
  list(
    record.outcome === 'failed' ? words.later : words.refused,
    record.problems,
    (p) => `${chat(words.where(p))}: ${words.problem(p)}`,
  );
  lines.push(chat(words.reference(record.id)));
  return { subject: words.subject(original, headline), text: lines.join('\n') };
}

/** The body lines the message format understood (`result.body.understood`), when it read the body. */
function understoodLines(record: MessageRecord): UnderstoodLine[] {
  const body = (record.result as { body?: { understood?: unknown } } | null)?.body;
  return Array.isArray(body?.understood) ? (body.understood as UnderstoodLine[]) : [];
}

// UI text in Mandarin and English. The language starts from the browser's (zh-* → 中文, else English),
// the toggle remembers the choice in localStorage; components re-render through useLang().
import { useEffect, useState } from 'preact/hooks';

const text = {
  zh: {
    appName: '客户服务中心',
    desk: '坐席工作台',
    wallboard: '监控大屏',
    admin: '系统管理',
    signOut: '退出',
    signedInAs: '已登录',
    connecting: '正在连接…',
    reconnecting: '连接中断，正在重连…',
    disconnected: '连接已断开',
    reconnect: '重新连接',
    connected: '已连接',
    lastError: '最近错误',
    none: '无',
    // agent states
    state: '状态',
    'state.offline': '离线',
    'state.available': '空闲',
    'state.offered': '振铃',
    'state.onCall': '通话中',
    'state.wrapUp': '话后处理',
    'state.break': '小休',
    available: '示闲',
    takeBreak: '示忙',
    signOff: '签出',
    breakReason: '小休原因',
    'reason.rest': '休息',
    'reason.lunch': '用餐',
    'reason.training': '培训',
    'reason.meeting': '会议',
    'reason.coaching': '辅导',
    'reason.admin': '事务处理',
    'reason.supervisor': '班长设置',
    since: '持续',
    phoneRegistered: '话机已注册',
    phoneNotRegistered: '话机未注册',
    // pop
    pop: '来电弹屏',
    noPop: '暂无来电',
    caller: '主叫',
    dialed: '被叫',
    unknownCaller: '未知客户',
    callerNotVerified: '号码未经验证：来自非信任线路，未查询客户资料',
    verifiedByPin: '已通过交易密码验证',
    tier: '客户等级',
    account: '资金账号',
    manager: '客户经理',
    language: '语言',
    branch: '营业部',
    queue: '队列',
    waited: '排队',
    ivrPath: '语音导航路径',
    keys: '按键',
    recent: '最近五次联系',
    noRecent: '无历史记录',
    at: '时间',
    agent: '坐席',
    disposition: '结果',
    wrapUpCode: '小结',
    notes: '备注',
    talk: '通话',
    // call
    call: '当前通话',
    noCall: '无通话',
    'call.ringing': '振铃',
    'call.talking': '通话中',
    'call.held': '保持中',
    'call.consulting': '咨询中',
    'call.ended': '已结束',
    hold: '保持',
    resume: '恢复',
    hangUp: '挂机',
    transferTarget: '转接目标（分机 / 队列 / 号码）',
    transfer: '转接',
    consult: '咨询',
    completeConsult: '完成转接',
    cancelConsult: '取消咨询',
    // wrap-up
    wrapUp: '话后小结',
    chooseCode: '选择小结代码',
    submitWrapUp: '提交小结',
    secondsLeft: '剩余秒数',
    wrapUpDone: '小结已提交',
    // history
    history: '通话记录',
    noHistory: '暂无通话记录',
    // e-mail tasks
    emailTasks: '邮件任务',
    noEmailTasks: '暂无邮件任务',
    emailReply: '回复',
    sendReply: '发送回复',
    attachments: '附件',
    started: '开始',
    wait: '等待',
    refresh: '刷新',
    // wallboard
    queues: '队列',
    waiting: '排队数',
    longest: '最长等待',
    serviceLevel: '今日服务水平',
    offered: '呼入',
    answered: '接通',
    abandoned: '放弃',
    agentsAvailable: '空闲坐席',
    agentsByState: '坐席状态',
    agents: '坐席',
    currentCall: '当前通话',
    timeInState: '状态时长',
    setState: '改变状态',
    apply: '执行',
    listen: '监听',
    whisper: '密语',
    barge: '强插',
    stopMonitor: '结束监听',
    monitoring: '正在监听',
    chartSl: '服务水平（每时段）',
    chartCalls: '话务量（每时段）',
    updated: '更新于',
    vipLineTurnedAway: '今日非贵宾客户拨入贵宾专线（已转主菜单）：',
    'tier.ordinary': '普通',
    registered: '注册',
    // admin
    adminAgents: '坐席与技能',
    extension: '分机',
    name: '姓名',
    skills: '技能',
    kind: '类型',
    'kind.agent': '坐席',
    'kind.supervisor': '班长',
    password: '密码',
    passwordHint: '留空则不修改',
    edit: '编辑',
    save: '保存',
    cancel: '取消',
    remove: '删除',
    add: '新增',
    confirmRemove: '确定删除坐席',
    dispositionCodes: '小结代码',
    code: '代码',
    labelZh: '中文名称',
    labelEn: '英文名称',
    active: '启用',
    inactive: '停用',
    deactivate: '停用',
    activate: '启用',
    sortOrder: '排序',
    queuesConfig: '队列配置',
    tiersConfig: '客户等级与阈值',
    configNote: '以下为只读视图，请在 config/callcenter.json 中修改并重启平台。',
    clientImport: '客户资料导入（CSV）',
    upload: '上传',
    chooseFile: '选择 CSV 文件',
    imported: '新增',
    updated_: '更新',
    rejected: '拒绝',
    line: '行',
    reason: '原因',
    saved: '已保存',
    loading: '加载中…',
    empty: '无数据',
    broadcasts: '群发',
    'bc.compose': '编写群发',
    'bc.channel': '渠道',
    'bc.channel.sms': '短信',
    'bc.channel.email': '电子邮件',
    'bc.subject': '主题',
    'bc.template': '模板',
    'bc.newTemplate': '新建模板',
    'bc.templateName': '模板名称',
    'bc.placeholders': '可用占位符：',
    'bc.audience': '发送对象',
    'bc.everyone': '全部客户',
    'bc.subscribers': '订阅',
    'bc.birthdayToday': '今天生日',
    'bc.holding': '持有股票',
    'bc.noBankLink': '未绑定银行卡',
    'bc.allMustHold': '所选条件须同时满足；已退订的客户自动跳过。',
    'bc.riskNotice': '风险提示（追加保证金、强行平仓）：不受退订和免打扰时段限制',
    'bc.risk': '风险提示',
    'bc.preview': '预览对象',
    'bc.audienceSize': '对象人数',
    'bc.messages': '将发消息',
    'bc.skipped': '跳过',
    'bc.at': '定时发送（留空为立即）',
    'bc.sendNow': '立即发送',
    'bc.sendAt': '定时发送',
    'bc.started': '已开始群发',
    'bc.queuedMessages': '条消息排队',
    'bc.scheduleName': '计划名称',
    'bc.tradingDays': '仅交易日',
    'bc.schedule': '保存计划',
    'bc.scheduled': '已保存计划',
    'bc.list': '群发记录',
    'bc.schedules': '定时计划',
    'bc.startsAt': '开始时间',
    'bc.by': '发起人',
    'bc.nextRun': '下次运行',
    'bc.lastRun': '上次运行',
    'bc.status.queued': '排队',
    'bc.status.sent': '已发送',
    'bc.status.delivered': '已送达',
    'bc.status.failed': '失败',
    recordings: '录音查询',
    'rec.title': '通话与录音',
    'rec.from': '开始时间自',
    'rec.to': '至',
    'rec.number': '号码',
    'rec.any': '全部',
    'rec.recordedOnly': '仅有录音的通话',
    'rec.search': '查询',
    'rec.none': '没有符合条件的通话',
    'rec.recording': '录音',
    'rec.state.kept': '可播放',
    'rec.state.none': '无录音',
    'rec.state.deleted': '已按保留期删除',
    'rec.state.flagged': '文件已被改动（已标记）',
    'rec.deletedAt': '删除时间',
    'rec.play': '播放',
    'rec.playing': '正在播放',
    'rec.channels': '立体声：左声道为客户，右声道为坐席。每次播放和下载均记入审计日志。',
    'rec.playFailed': '无法播放此录音',
    'rec.close': '关闭',
    'rec.download': '下载',
    'rec.downloaded': '已下载',
    'rec.verified': '校验一致',
    'rec.hashMismatchHere': '下载内容与服务器给出的 SHA-256 不一致，已丢弃',
    chartWindow: '图表时段',
    chartLast: '最近',
    chartHours: '小时',
    chartWholeDay: '今日全天',
    waitingCallers: '排队客户',
    noWaitingCallers: '当前无客户排队',
  },
  en: {
    appName: 'Customer Service Center',
    desk: 'Agent desk',
    wallboard: 'Wallboard',
    admin: 'Administration',
    signOut: 'Sign out',
    signedInAs: 'Signed in as',
    connecting: 'Connecting…',
    reconnecting: 'Connection lost, reconnecting…',
    disconnected: 'Disconnected',
    reconnect: 'Reconnect',
    connected: 'Connected',
    lastError: 'Last error',
    none: 'none',
    state: 'State',
    'state.offline': 'Offline',
    'state.available': 'Available',
    'state.offered': 'Ringing',
    'state.onCall': 'On call',
    'state.wrapUp': 'Wrap-up',
    'state.break': 'Break',
    available: 'Available',
    takeBreak: 'Break',
    signOff: 'Sign off',
    breakReason: 'Break reason',
    'reason.rest': 'Rest',
    'reason.lunch': 'Lunch',
    'reason.training': 'Training',
    'reason.meeting': 'Meeting',
    'reason.coaching': 'Coaching',
    'reason.admin': 'Admin work',
    'reason.supervisor': 'Set by supervisor',
    since: 'for',
    phoneRegistered: 'Phone registered',
    phoneNotRegistered: 'Phone not registered',
    pop: 'Caller',
    noPop: 'No call offered',
    caller: 'Caller',
    dialed: 'Dialed',
    unknownCaller: 'Unknown caller',
    callerNotVerified: 'Number not verified: the call came from an untrusted source, so the client directory was not consulted',
    verifiedByPin: 'Verified by PIN',
    tier: 'Tier',
    account: 'Account',
    manager: 'Account manager',
    language: 'Language',
    branch: 'Branch',
    queue: 'Queue',
    waited: 'Waited',
    ivrPath: 'IVR path',
    keys: 'keys',
    recent: 'Last five interactions',
    noRecent: 'No earlier interactions',
    at: 'When',
    agent: 'Agent',
    disposition: 'Outcome',
    wrapUpCode: 'Wrap-up',
    notes: 'Notes',
    talk: 'Talk',
    call: 'Call',
    noCall: 'No call',
    'call.ringing': 'Ringing',
    'call.talking': 'Talking',
    'call.held': 'On hold',
    'call.consulting': 'Consulting',
    'call.ended': 'Ended',
    hold: 'Hold',
    resume: 'Resume',
    hangUp: 'Hang up',
    transferTarget: 'Transfer to (extension / queue / number)',
    transfer: 'Transfer',
    consult: 'Consult',
    completeConsult: 'Complete transfer',
    cancelConsult: 'Cancel consult',
    wrapUp: 'Wrap-up',
    chooseCode: 'Choose a code',
    submitWrapUp: 'Submit wrap-up',
    secondsLeft: 'seconds left',
    wrapUpDone: 'Wrap-up submitted',
    history: 'Call history',
    noHistory: 'No calls yet',
    emailTasks: 'E-mail tasks',
    noEmailTasks: 'No e-mail tasks',
    emailReply: 'Reply',
    sendReply: 'Send reply',
    attachments: 'Attachments',
    started: 'Started',
    wait: 'Wait',
    refresh: 'Refresh',
    queues: 'Queues',
    waiting: 'Waiting',
    longest: 'Longest wait',
    serviceLevel: 'Service level today',
    offered: 'Offered',
    answered: 'Answered',
    abandoned: 'Abandoned',
    agentsAvailable: 'Agents available',
    agentsByState: 'Agents by state',
    agents: 'Agents',
    currentCall: 'Current call',
    timeInState: 'Time in state',
    setState: 'Change state',
    apply: 'Apply',
    listen: 'Listen',
    whisper: 'Whisper',
    barge: 'Barge',
    stopMonitor: 'Stop monitoring',
    monitoring: 'Monitoring',
    chartSl: 'Service level per interval',
    chartCalls: 'Calls per interval',
    updated: 'Updated',
    vipLineTurnedAway: 'Callers turned away from the VIP line today (sent to the main menu):',
    'tier.ordinary': 'Ordinary',
    registered: 'Registered',
    adminAgents: 'Agents and skills',
    extension: 'Extension',
    name: 'Name',
    skills: 'Skills',
    kind: 'Kind',
    'kind.agent': 'Agent',
    'kind.supervisor': 'Supervisor',
    password: 'Password',
    passwordHint: 'leave empty to keep',
    edit: 'Edit',
    save: 'Save',
    cancel: 'Cancel',
    remove: 'Remove',
    add: 'Add',
    confirmRemove: 'Remove agent',
    dispositionCodes: 'Disposition codes',
    code: 'Code',
    labelZh: 'Label (中文)',
    labelEn: 'Label (English)',
    active: 'Active',
    inactive: 'Inactive',
    deactivate: 'Deactivate',
    activate: 'Activate',
    sortOrder: 'Order',
    queuesConfig: 'Queues',
    tiersConfig: 'Tiers and thresholds',
    configNote: 'Read-only: these are set in config/callcenter.json (restart the platform after a change).',
    clientImport: 'Client directory import (CSV)',
    upload: 'Upload',
    chooseFile: 'Choose a CSV file',
    imported: 'Imported',
    updated_: 'Updated',
    rejected: 'Rejected',
    line: 'Line',
    reason: 'Reason',
    saved: 'Saved',
    loading: 'Loading…',
    empty: 'Nothing here',
    broadcasts: 'Broadcasts',
    'bc.compose': 'Compose a broadcast',
    'bc.channel': 'Channel',
    'bc.channel.sms': 'SMS',
    'bc.channel.email': 'E-mail',
    'bc.subject': 'Subject',
    'bc.template': 'Template',
    'bc.newTemplate': 'New template',
    'bc.templateName': 'Template name',
    'bc.placeholders': 'Placeholders:',
    'bc.audience': 'Audience',
    'bc.everyone': 'All clients',
    'bc.subscribers': 'Subscribed to',
    'bc.birthdayToday': 'Birthday today',
    'bc.holding': 'Holding stock',
    'bc.noBankLink': 'No bank account bound',
    'bc.allMustHold': 'Every criterion chosen must hold; clients who opted out are skipped.',
    'bc.riskNotice': 'Risk notice (margin call, forced liquidation): sent despite opt-outs and quiet hours',
    'bc.risk': 'Risk notice',
    'bc.preview': 'Preview audience',
    'bc.audienceSize': 'Audience',
    'bc.messages': 'Messages to send',
    'bc.skipped': 'Skipped',
    'bc.at': 'Send at (empty: now)',
    'bc.sendNow': 'Send now',
    'bc.sendAt': 'Send at this time',
    'bc.started': 'Broadcast started',
    'bc.queuedMessages': 'messages queued',
    'bc.scheduleName': 'Schedule name',
    'bc.tradingDays': 'trading days only',
    'bc.schedule': 'Save schedule',
    'bc.scheduled': 'Schedule saved',
    'bc.list': 'Broadcasts',
    'bc.schedules': 'Schedules',
    'bc.startsAt': 'Starts',
    'bc.by': 'By',
    'bc.nextRun': 'Next run',
    'bc.lastRun': 'Last run',
    'bc.status.queued': 'Queued',
    'bc.status.sent': 'Sent',
    'bc.status.delivered': 'Delivered',
    'bc.status.failed': 'Failed',
    recordings: 'Recordings',
    'rec.title': 'Calls and recordings',
    'rec.from': 'Started from',
    'rec.to': 'to',
    'rec.number': 'Number',
    'rec.any': 'Any',
    'rec.recordedOnly': 'Recorded calls only',
    'rec.search': 'Search',
    'rec.none': 'No call matches',
    'rec.recording': 'Recording',
    'rec.state.kept': 'Available',
    'rec.state.none': 'Not recorded',
    'rec.state.deleted': 'Deleted by retention',
    'rec.state.flagged': 'File changed (flagged)',
    'rec.deletedAt': 'Deleted at',
    'rec.play': 'Play',
    'rec.playing': 'Playing',
    'rec.channels': 'Stereo: the caller on the left channel, the agent on the right. Every play and download is written to the audit log.',
    'rec.playFailed': 'This recording cannot be played',
    'rec.close': 'Close',
    'rec.download': 'Download',
    'rec.downloaded': 'Downloaded',
    'rec.verified': 'verified',
    'rec.hashMismatchHere': 'The download does not match the SHA-256 the server sent; it was discarded',
    chartWindow: 'Charts show',
    chartLast: 'last',
    chartHours: 'hours',
    chartWholeDay: 'the whole day',
    waitingCallers: 'Callers waiting',
    noWaitingCallers: 'Nobody is waiting',
  },
};

/** The tiers as the API names them, best first, with their Mandarin names. */
export const tiers = ['Diamond', 'Platinum', 'Gold', 'Quality', 'Effective', 'Dormant', 'ordinary'];
const tierZh = { Diamond: '钻石', Platinum: '白金', Gold: '黄金', Quality: '优质', Effective: '有效', Dormant: '休眠', ordinary: '普通' };

export const agentStates = ['available', 'offered', 'onCall', 'wrapUp', 'break', 'offline'];
export const breakReasons = ['rest', 'lunch', 'training', 'meeting', 'coaching', 'admin'];

const storageKey = 'callcenter.lang';
const listeners = new Set();
let current = initialLang();

function initialLang() {
  // ?lang=zh or ?lang=en in the address picks the language (links, screenshots) and is remembered.
  const asked = new URLSearchParams(location.search).get('lang');
  if (asked === 'zh' || asked === 'en') {
    localStorage.setItem(storageKey, asked);
    return asked;
  }
  const saved = globalThis.localStorage?.getItem(storageKey);
  if (saved === 'zh' || saved === 'en') return saved;
  const browser = (navigator.languages?.[0] ?? navigator.language ?? 'zh').toLowerCase();
  return browser.startsWith('zh') ? 'zh' : 'en';
}

export function lang() {
  return current;
}

export function setLang(next) {
  current = next;
  localStorage.setItem(storageKey, next);
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
  for (const listener of listeners) listener(next);
}

/** The text for a key in the current language (the key itself when missing, so a gap shows). */
export function t(key) {
  return text[current][key] ?? text.en[key] ?? key;
}

/** A state, reason or tier name from the API in the current language; unknown names as they are. */
export function tState(state) {
  return t('state.' + state) === 'state.' + state ? state : t('state.' + state);
}

export function tReason(reason) {
  if (!reason) return '';
  const key = 'reason.' + reason;
  return t(key) === key ? reason : t(key);
}

/** Why a call ended (CallDisposition on the server), in both languages; a flow's own "ivr-<reason>" falls back to a generic label. */
const dispositions = {
  zh: {
    'caller-hung-up': '客户挂机', cancelled: '客户未接通即挂断', 'not-confirmed': '未确认', 'agent-hung-up': '坐席挂机',
    'outside-hung-up': '外线挂机', 'in-progress': '进行中', interrupted: '中断', 'internal-error': '系统错误',
    'overflow-callback': '溢出（已预约回拨）', 'overflow-no-callback': '溢出（无法回拨）', 'callback-requested': '客户预约回拨',
    'callback-not-reached': '回拨未接通', 'agent-missed': '坐席未接', 'ivr-failed': '语音导航故障', 'queue-full': '队列已满',
    'fax-received': '已收传真', 'fax-sent': '已发传真', 'fax-failed': '传真失败', abandoned: '放弃', answered: '已接听',
    transferred: '已转接', failed: '失败', ivr: '语音导航结束', overflow: '溢出', 'ivr-other': '语音导航挂机',
  },
  en: {
    'caller-hung-up': 'Caller hung up', cancelled: 'Caller gave up before answer', 'not-confirmed': 'Not confirmed', 'agent-hung-up': 'Agent hung up',
    'outside-hung-up': 'Outside party hung up', 'in-progress': 'In progress', interrupted: 'Interrupted', 'internal-error': 'Internal error',
    'overflow-callback': 'Overflow (callback booked)', 'overflow-no-callback': 'Overflow (no callback)', 'callback-requested': 'Callback requested',
    'callback-not-reached': 'Callback not reached', 'agent-missed': 'Agent missed', 'ivr-failed': 'IVR failed', 'queue-full': 'Queue full',
    'fax-received': 'Fax received', 'fax-sent': 'Fax sent', 'fax-failed': 'Fax failed', abandoned: 'Abandoned', answered: 'Answered',
    transferred: 'Transferred', failed: 'Failed', ivr: 'Ended in the IVR', overflow: 'Overflow', 'ivr-other': 'Ended by the IVR',
  },
};

/** A call record's disposition in the current language. */
export function tDisposition(disposition) {
  if (!disposition) return '';
  const known = dispositions[current][disposition];
  if (known) return known;
  return disposition.startsWith('ivr-') ? `${dispositions[current]['ivr-other']} (${disposition.slice(4)})` : disposition;
}

const queueNames = { zh: { general: '普通队列', vip: '贵宾队列' }, en: { general: 'General', vip: 'VIP' } };

const languageNames = { zh: { zh: '中文（普通话）', en: '英语', yue: '粤语' }, en: { zh: 'Mandarin', en: 'English', yue: 'Cantonese' } };

/** A caller's language code in the current language. */
export function tLanguage(code) {
  return languageNames[current][code] ?? code;
}

/** The hotline flows' menus and steps by node id (the part after the hotline number), in both languages. */
const ivrNodes = {
  zh: {
    gate: '贵宾专线识别', vipOnly: '非贵宾提示', mainLine: '转主菜单', language: '语言选择', zh: '中文', en: '英文', welcome: '欢迎词',
    menu: '主菜单', notices: '信息公告', announcements: '公告播放', quoteCode: '行情查询', account: '输入资金账号', pin: '输入交易密码',
    verify: '身份验证', pinWrong: '密码错误', accountLocked: '账户锁定', services: '账户服务菜单', balance: '资金查询', positions: '持仓查询',
    orders: '当日委托成交', order: '委托下单', transfer: '银证转账', pinChange: '修改密码', documents: '资料索取', appointments: '预约服务',
    agent: '转人工', queue: '排队', callback: '预约回拨',
  },
  en: {
    gate: 'VIP line check', vipOnly: 'VIP only notice', mainLine: 'To the main menu', language: 'Language choice', zh: 'Mandarin', en: 'English', welcome: 'Welcome',
    menu: 'Main menu', notices: 'Notices', announcements: 'Announcements', quoteCode: 'Quotes', account: 'Account number', pin: 'Trading PIN',
    verify: 'Verification', pinWrong: 'Wrong PIN', accountLocked: 'Account locked', services: 'Account services', balance: 'Balance', positions: 'Positions',
    orders: "Today's orders and trades", order: 'Place an order', transfer: 'Bank transfer', pinChange: 'PIN change', documents: 'Documents', appointments: 'Appointments',
    agent: 'To an agent', queue: 'Queue', callback: 'Callback',
  },
};

/** An IVR node id such as "95500.menu" as its menu's name (the id itself when the dictionary has none). */
export function tIvrNode(id) {
  if (!id) return '';
  const at = id.indexOf('.');
  const node = at >= 0 ? id.slice(at + 1) : id;
  return ivrNodes[current][node] ?? id;
}

/** A queue id in the current language (the operator's own queues as they are named). */
export function tQueue(queue) {
  return queueNames[current][queue] ?? queue;
}

export function tTier(tier) {
  if (!tier) return t('tier.ordinary');
  return current === 'zh' ? (tierZh[tier] ?? tier) : tier === 'ordinary' ? t('tier.ordinary') : tier;
}

/** Re-renders the calling component when the language changes. */
export function useLang() {
  const [value, setValue] = useState(current);
  useEffect(() => {
    listeners.add(setValue);
    return () => listeners.delete(setValue);
  }, []);
  return value;
}

document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en';

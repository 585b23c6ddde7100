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

const dispositionZh = { answered: '已接听', abandoned: '放弃', transferred: '已转接', failed: '失败', interrupted: '中断', ivr: '语音导航结束', overflow: '溢出' };

/** A call record's disposition in the current language (Mandarin for the known ones). */
export function tDisposition(disposition) {
  return current === 'zh' ? (dispositionZh[disposition] ?? disposition) : disposition;
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

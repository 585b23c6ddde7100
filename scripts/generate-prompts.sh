#!/usr/bin/env bash
# Generates every IVR prompt into config/prompts/<lang>/<name>.wav (8 kHz, mono, 16-bit PCM)
# with espeak-ng and sox. The texts live below so anyone can change or re-record them; the
# output is committed, so a fresh machine needs no TTS. Re-run after editing a text:
#   scripts/generate-prompts.sh
#
# The Mandarin voice is espeak-ng's `cmn-latn-pinyin`: the plain `cmn` voice of espeak-ng 1.51
# (Debian 12) reads the pinyin of its own dictionary as English ("yi one" for 一).
# The prompt names are the contract with src/Ivr (flows name them; Say composes numbers,
# amounts and dates from the fragments), so renaming one here means renaming it there.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v espeak-ng >/dev/null 2>&1 || need_apt+=(espeak-ng)
command -v sox >/dev/null 2>&1 || need_apt+=(sox)
if ((${#need_apt[@]})); then
  echo "generate-prompts.sh: installing ${need_apt[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

zh_voice=cmn-latn-pinyin
en_voice=en-us
out=config/prompts
tmp=$(mktemp -d /tmp/callcenter-prompts.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out/zh" "$out/en"
rm -f "$out/zh/"*.wav "$out/en/"*.wav

# speak VOICE SPEED TEXT OUT: synthesize, trim leading/trailing silence (so fragments join
# tightly when Say strings them together), normalize, and write 8 kHz mono 16-bit PCM.
speak() {
  espeak-ng -v "$1" -s "$2" -w "$tmp/raw.wav" "$3"
  sox "$tmp/raw.wav" -r 8000 -c 1 -b 16 -e signed-integer "$4" \
    silence 1 0.01 0.5% reverse silence 1 0.01 0.5% reverse norm -3
}

# Lines are `name|text`; blank lines and # comments are skipped.
generate() {
  local lang=$1 voice=$2 speed=$3 name text
  while IFS='|' read -r name text; do
    [[ -z "$name" || "$name" == \#* ]] && continue
    speak "$voice" "$speed" "$text" "$out/$lang/$name.wav"
  done
}

generate zh "$zh_voice" 150 <<'EOF'
# Flow prompts
welcome-95500|您好，欢迎致电客户服务热线。
welcome-95501|尊敬的贵宾客户，您好，欢迎致电贵宾服务专线。
main-menu|信息发布请按1，账户自助服务请按2，文件传真、短信和电子邮件服务请按3，预约服务请按4，人工服务请按0，重听请按星号键。
service-coming-soon|该服务即将开通，敬请期待。
invalid-key|对不起，您的输入有误。
no-input|对不起，我们没有收到您的输入。
goodbye|感谢您的来电，再见。
transferring-to-agent|正在为您转接人工服务，请稍候。
please-hold|请稍候。
callback-offer|现在坐席繁忙，我们已为您登记回电，稍后将有专人与您联系。再见。
callback-press-1|如需保留排队位置并由坐席给您回电，请按1。
callback-booked|已为您登记回电，您的排队位置保持不变，轮到您时坐席将拨打您的来电号码。再见。
callback-unavailable|对不起，现在无法为您登记回电，请继续等候。
overflow-call-later|现在坐席繁忙，请您稍后再拨。再见。
notice-1|节假日交易安排：国庆节假期期间，证券交易所休市，节后第一个交易日恢复正常交易。
notice-2|开户须知：新客户可携带本人身份证和银行卡到营业部办理开户，也可以通过网上开户办理。
enter-account|请输入您的资金账号，以井号键结束。
enter-pin|请输入您的交易密码，以井号键结束。
# Account self-service (账户自助服务): verification, queries, orders, transfers, PIN change
invalid-entry|对不起，您输入的号码格式不正确，请重新输入。
pin-wrong|账号或密码错误，您还可以尝试
tries-left|次。
account-locked|由于密码错误次数过多，该账户的电话服务已暂时锁定，请稍后再试或转人工服务。
service-unavailable|对不起，系统暂时无法办理该业务，请稍后再试。
account-menu|查询资金请按1，查询持仓请按2，查询当日委托和成交请按3，委托下单请按4，银证转账请按5，修改密码请按6，人工服务请按0，重听请按星号键，返回主菜单请按井号键。
balance-cash|您的资金余额为
balance-available|可用资金为
positions-none|您目前没有持仓。
stock-code|证券代码
holding|持有
shares|股
market-value|市值
orders-none|您今天没有委托和成交。
item-order|委托
item-trade|成交
side-buy|买入
side-sell|卖出
price|价格
quantity|数量
status-open|尚未成交
status-filled|已成交
status-cancelled|已撤单
order-side|买入请按1，卖出请按2。
enter-stock-code|请输入六位证券代码，以井号键结束。
unknown-stock-code|对不起，没有这个证券代码。
# Notices (main menu 1): the sub-menu and the quote read-out (name, last price, change from the previous close)
notices-menu|收听公告请按1，查询股票行情请按2，重听请按星号键，返回主菜单请按井号键，人工服务请按0。
quote-last|最新价
quote-up|比昨日收盘上涨
quote-down|比昨日收盘下跌
quote-unchanged|与昨日收盘价持平。
announcements-none|目前没有公告。
enter-price|请输入委托价格，星号键作小数点，以井号键结束。
enter-quantity|请输入委托数量，须为一百股的整数倍，以井号键结束。
readback-buy|您将以限价买入
readback-sell|您将以限价卖出
confirm-or-cancel|确认请按1，取消请按2。
order-placed|委托已提交，委托编号
order-cancel-offer|撤销这笔委托请按1，听下一笔请按2。
order-cancelled|这笔委托已撤销，冻结的资金或股份已解冻。
order-not-cancellable|这笔委托已成交或已撤销，无法撤单。
order-filled|委托已成交，委托编号
invalid-price|委托价格无效，请重新输入。
price-out-of-band|委托价格超出当日涨跌幅限制，请重新输入。
not-whole-lot|委托数量须为一百股的整数倍，请重新输入。
insufficient-funds|对不起，可用资金不足。
insufficient-position|对不起，可卖股份不足。
cancelled|已取消。
transfer-direction|银行转证券请按1，证券转银行请按2。
enter-amount|请输入转账金额，星号键作小数点，以井号键结束。
readback-transfer-in|您将从银行转入证券账户
readback-transfer-out|您将从证券账户转出到银行
transfer-done|转账已完成。
over-daily-limit|对不起，超出当日转账限额。
insufficient-bank-balance|对不起，银行账户余额不足。
no-bank-link|对不起，您的账户没有绑定银行。
invalid-amount|转账金额无效，请重新输入。
enter-new-pin|请输入六位新密码，以井号键结束。
enter-new-pin-again|请再次输入新密码，以井号键结束。
pin-changed|密码已修改，请在下次使用新密码。
pin-mismatch|两次输入的新密码不一致。
pin-same-as-old|新密码不能与原密码相同。
pin-not-six-digits|新密码须为六位数字。
pin-too-simple|新密码过于简单，请不要使用六个相同的数字或连续的数字。
# Stock names of the built-in quote table (stock-<code>)
stock-600000|浦发银行
stock-600036|招商银行
stock-000001|平安银行
stock-601318|中国平安
stock-600519|贵州茅台
stock-000858|五粮液
# Queue announcements: 您现在排在第 <n> 位，预计等待 <n> 分钟
queue-position-before|您现在排在第
queue-position-after|位
queue-wait-before|预计等待
queue-wait-after|分钟
queue-wait-after-one|分钟
# Say fragments: numbers (n-*), digits for account and phone numbers (digit-*, 1 is 幺), units
n-1|一
n-2|二
n-2-liang|两
n-3|三
n-4|四
n-5|五
n-6|六
n-7|七
n-8|八
n-9|九
n-10|十
n-100|百
n-1000|千
n-10000|万
n-100000000|亿
zero|零
digit-0|零
digit-1|幺
digit-2|二
digit-3|三
digit-4|四
digit-5|五
digit-6|六
digit-7|七
digit-8|八
digit-9|九
yuan|元
jiao|角
fen|分
year|年
month|月
day|日
# Documents (文字回复, main menu 3)
documents-menu|最新研究报告请按1，您的账户对账单请按2。
document-by-sms|短信发送到您的手机请按1。
document-by-email|发送到您登记的电子邮箱请按2。
document-by-fax|传真请按3。
document-choose|请选择。
document-will-be-sent-sms|您的申请已受理，文件将通过短信发送给您。
document-will-be-sent-email|您的申请已受理，文件将发送到您登记的电子邮箱。
document-will-be-sent-fax|您的申请已受理，文件将传真到您输入的号码。
document-channel-unavailable|对不起，该发送方式暂时无法使用，请选择其他方式。
document-no-contact|对不起，我们没有您的手机号码或电子邮箱登记信息，请选择其他方式。
enter-fax-number|请输入传真号码，以井号键结束。
fax-number-is|您输入的传真号码是
confirm-or-reenter|确认请按1，重新输入请按2。
fax-number-refused|对不起，无法向该号码发送传真，请选择其他方式。
fax-on-file-or-keyed|传真到您登记的传真号码请按1，输入其他传真号码请按2。
document-will-be-sent-fax-on-file|您的申请已受理，文件将传真到您登记的传真号码。
# New-account confirmation calls (outbound): the client answers by key before talking to the agent
manager-confirm-question|您好，这里是客户服务热线的新开户回访。如您确认为您开户的客户经理，请按1；如有异议，请按2。
manager-confirm-thanks|谢谢，请不要挂机。
# Queue callback at another number (in the queue: 2, the number, #)
callback-press-2|如需回电到其他号码，请按2。
callback-enter-number|请输入回电号码，固定电话请加拨区号，以井号键结束。
callback-number-is|您输入的回电号码是
callback-booked-number|已为您登记回电，您的排队位置保持不变，轮到您时坐席将拨打这个号码。再见。
callback-number-invalid|对不起，您输入的不是有效的电话号码。
callback-number-barred|对不起，我们不能回电到这个号码。
callback-keep-waiting|您的排队位置保持不变，请继续等候。
callback-already-booked|这个号码已经登记过回电，原登记和排队位置保持不变，轮到时坐席将给您回电。再见。
callback-limit|您的回电登记已达上限，不能再登记新的回电，请继续等候。
EOF

generate en "$en_voice" 160 <<'EOF'
# Flow prompts
welcome-95500|Welcome to the client service hotline.
welcome-95501|Welcome to the V I P service line.
main-menu|For announcements, press 1. For account self service, press 2. For documents by fax, text message or e-mail, press 3. For appointments, press 4. To speak to an agent, press 0. To hear these options again, press star.
service-coming-soon|This service is coming soon.
invalid-key|Sorry, that is not a valid choice.
no-input|Sorry, we did not receive your input.
goodbye|Thank you for calling. Goodbye.
transferring-to-agent|Transferring you to an agent. Please wait.
please-hold|Please hold.
callback-offer|All our agents are busy. We have booked a call back, and an agent will call you shortly. Goodbye.
callback-press-1|To keep your place and be called back instead, press 1.
callback-booked|Your call back is booked and keeps your place in the queue. When it is your turn, an agent will call you back at the number you are calling from. Goodbye.
callback-unavailable|Sorry, we cannot book a call back now. Please continue to hold.
overflow-call-later|All our agents are busy. Please call again later. Goodbye.
notice-1|Holiday trading notice. During the National Day holiday the exchanges are closed. Trading resumes on the first trading day after the holiday.
notice-2|New accounts. New clients can open an account at a branch with their identity card and bank card, or online.
enter-account|Please enter your account number, followed by the hash key.
enter-pin|Please enter your trading PIN, followed by the hash key.
# Account self-service: verification, queries, orders, transfers, PIN change
invalid-entry|Sorry, that entry is not valid. Please try again.
pin-wrong|The account number or PIN is not correct. You have
tries-left|tries left.
account-locked|Because of too many wrong PINs, phone access to this account is locked for now. Please try later, or ask an agent.
service-unavailable|Sorry, this service is not available right now. Please try later.
account-menu|For your balance, press 1. For your positions, press 2. For today's orders and trades, press 3. To place an order, press 4. For a bank transfer, press 5. To change your PIN, press 6. To speak to an agent, press 0. To hear these options again, press star. For the main menu, press hash.
balance-cash|Your cash balance is
balance-available|Available funds are
positions-none|You hold no positions.
stock-code|Stock code
holding|holding
shares|shares
market-value|market value
orders-none|You have no orders or trades today.
item-order|Order
item-trade|Trade
side-buy|buy
side-sell|sell
price|price
quantity|quantity
status-open|not filled yet
status-filled|filled
status-cancelled|cancelled
order-side|To buy, press 1. To sell, press 2.
enter-stock-code|Please enter the six digit stock code, followed by the hash key.
unknown-stock-code|Sorry, there is no such stock code.
# Notices (main menu 1): the sub-menu and the quote read-out (name, last price, change from the previous close)
notices-menu|For announcements, press 1. For a stock quote, press 2. To hear these options again, press star. To return to the main menu, press the hash key. To speak to an agent, press 0.
quote-last|Last price
quote-up|up from the previous close by
quote-down|down from the previous close by
quote-unchanged|unchanged from the previous close.
announcements-none|There are no announcements at the moment.
enter-price|Please enter the limit price, using star as the decimal point, followed by the hash key.
enter-quantity|Please enter the number of shares, in lots of one hundred, followed by the hash key.
readback-buy|You are buying at a limit price.
readback-sell|You are selling at a limit price.
confirm-or-cancel|To confirm, press 1. To cancel, press 2.
order-placed|Your order is placed. Order number
order-cancel-offer|To cancel this order, press 1. For the next one, press 2.
order-cancelled|This order is cancelled, and the cash or shares it held are released.
order-not-cancellable|This order is already filled or cancelled, and cannot be cancelled.
order-filled|Your order is filled. Order number
invalid-price|That price is not valid. Please enter it again.
price-out-of-band|That price is outside today's ten percent band. Please enter it again.
not-whole-lot|The quantity must be a whole number of lots of one hundred shares. Please enter it again.
insufficient-funds|Sorry, your available funds are not enough.
insufficient-position|Sorry, you do not hold enough shares to sell.
cancelled|Cancelled.
transfer-direction|From bank to brokerage, press 1. From brokerage to bank, press 2.
enter-amount|Please enter the amount, using star as the decimal point, followed by the hash key.
readback-transfer-in|You are moving from your bank to your brokerage account
readback-transfer-out|You are moving from your brokerage account to your bank
transfer-done|The transfer is done.
over-daily-limit|Sorry, that is over today's transfer limit.
insufficient-bank-balance|Sorry, your bank balance is not enough.
no-bank-link|Sorry, no bank account is linked to this account.
invalid-amount|That amount is not valid. Please enter it again.
enter-new-pin|Please enter your new six digit PIN, followed by the hash key.
enter-new-pin-again|Please enter the new PIN again, followed by the hash key.
pin-changed|Your PIN is changed. Please use the new PIN from now on.
pin-mismatch|The two new PINs do not match.
pin-same-as-old|The new PIN must differ from the old one.
pin-not-six-digits|The new PIN must be six digits.
pin-too-simple|The new PIN is too simple: do not use one digit six times, or digits in a row.
# Stock names of the built-in quote table (stock-<code>)
stock-600000|Pudong Development Bank
stock-600036|China Merchants Bank
stock-000001|Ping An Bank
stock-601318|Ping An Insurance
stock-600519|Kweichow Moutai
stock-000858|Wuliangye
# Queue announcements: You are number <n> in the queue. The estimated wait is <n> minutes.
queue-position-before|You are number
queue-position-after|in the queue.
queue-wait-before|The estimated wait is
queue-wait-after|minutes.
queue-wait-after-one|minute.
# Say fragments
n-0|zero
n-1|one
n-2|two
n-3|three
n-4|four
n-5|five
n-6|six
n-7|seven
n-8|eight
n-9|nine
n-10|ten
n-11|eleven
n-12|twelve
n-13|thirteen
n-14|fourteen
n-15|fifteen
n-16|sixteen
n-17|seventeen
n-18|eighteen
n-19|nineteen
n-20|twenty
n-30|thirty
n-40|forty
n-50|fifty
n-60|sixty
n-70|seventy
n-80|eighty
n-90|ninety
hundred|hundred
thousand|thousand
million|million
billion|billion
oh|oh
digit-0|zero
digit-1|one
digit-2|two
digit-3|three
digit-4|four
digit-5|five
digit-6|six
digit-7|seven
digit-8|eight
digit-9|nine
yuan|yuan
fen|fen
month-1|January
month-2|February
month-3|March
month-4|April
month-5|May
month-6|June
month-7|July
month-8|August
month-9|September
month-10|October
month-11|November
month-12|December
ord-1|first
ord-2|second
ord-3|third
ord-4|fourth
ord-5|fifth
ord-6|sixth
ord-7|seventh
ord-8|eighth
ord-9|ninth
ord-10|tenth
ord-11|eleventh
ord-12|twelfth
ord-13|thirteenth
ord-14|fourteenth
ord-15|fifteenth
ord-16|sixteenth
ord-17|seventeenth
ord-18|eighteenth
ord-19|nineteenth
ord-20|twentieth
ord-30|thirtieth
# Documents (main menu 3)
documents-menu|For the latest research note, press 1. For your account statement, press 2.
document-by-sms|To receive it by text message on your mobile, press 1.
document-by-email|To receive it by e-mail at the address we have on file, press 2.
document-by-fax|To receive it by fax, press 3.
document-choose|Please choose now.
document-will-be-sent-sms|Your request is accepted. The document will be sent to you by text message.
document-will-be-sent-email|Your request is accepted. The document will be sent to the e-mail address we have on file.
document-will-be-sent-fax|Your request is accepted. The document will be faxed to the number you entered.
document-channel-unavailable|Sorry, that way of sending is not available right now. Please choose another.
document-no-contact|Sorry, we have no mobile number or e-mail address on file for you. Please choose another way.
enter-fax-number|Please enter the fax number, followed by the hash key.
fax-number-is|The fax number you entered is
confirm-or-reenter|To confirm, press 1. To enter it again, press 2.
fax-number-refused|Sorry, we cannot send a fax to that number. Please choose another way.
fax-on-file-or-keyed|To fax it to the fax number we have on file for you, press 1. To enter another fax number, press 2.
document-will-be-sent-fax-on-file|Your request is accepted. The document will be faxed to the fax number we have on file for you.
# New-account confirmation calls (outbound): the client answers by key before talking to the agent
manager-confirm-question|Hello, this is the hotline's new-account confirmation call. If you confirm the account manager who opened your account, press 1. If you do not, press 2.
manager-confirm-thanks|Thank you. Please stay on the line.
# Queue callback at another number (in the queue: 2, the number, #)
callback-press-2|To be called back at another number, press 2.
callback-enter-number|Please enter the number to call you back at, with the area code for a landline, followed by the hash key.
callback-number-is|The number you entered is
callback-booked-number|Your call back is booked and keeps your place in the queue. When it is your turn, an agent will call you back at that number. Goodbye.
callback-number-invalid|Sorry, that is not a valid phone number.
callback-number-barred|Sorry, we cannot call you back at that number.
callback-keep-waiting|You keep your place in the queue. Please continue to hold.
callback-already-booked|A call back to this number is already booked and keeps its place. An agent will call you when it is your turn. Goodbye.
callback-limit|You already have as many call backs booked as we allow, so we cannot book another one. Please continue to hold.
EOF

# The language choice is one bilingual prompt, the same in both folders: the caller has not
# chosen yet, so it must not depend on the session language.
speak "$zh_voice" 150 "中文服务请按1。" "$tmp/choice-zh.wav"
speak "$en_voice" 160 "For English, press 2." "$tmp/choice-en.wav"
sox -n -r 8000 -c 1 -b 16 -e signed-integer "$tmp/gap.wav" trim 0 0.4
sox "$tmp/choice-zh.wav" "$tmp/gap.wav" "$tmp/choice-en.wav" "$out/zh/language-choice.wav"
cp "$out/zh/language-choice.wav" "$out/en/language-choice.wav"

# A caller below the VIP line's tiers (or unknown, so of unknown language) hears in both
# languages that the line is for VIP clients and goes on to the main hotline's menu: the session
# language first (Mandarin for an unknown caller), then the other.
speak "$zh_voice" 150 "本专线仅为贵宾客户服务，现在为您转入客户服务热线。" "$tmp/vip-only-zh.wav"
speak "$en_voice" 160 "This line is for V I P clients. We are putting you through to the main hotline." "$tmp/vip-only-en.wav"
sox "$tmp/vip-only-zh.wav" "$tmp/gap.wav" "$tmp/vip-only-en.wav" "$out/zh/vip-line-only.wav"
sox "$tmp/vip-only-en.wav" "$tmp/gap.wav" "$tmp/vip-only-zh.wav" "$out/en/vip-line-only.wav"

# Music on hold: a soft ~10 s loop of four sustained chords (C, A minor, F, G), quiet and
# faded at both ends so the loop point does not click. Language-independent; copied to both.
chord() {
  sox -n -r 8000 -c 1 -b 16 -e signed-integer "$tmp/chord-$1.wav" \
    synth 2.5 sine "$2" sine "$3" sine "$4" remix - fade q 0.3 2.5 0.4 vol 0.25
}
chord 1 261.63 329.63 392.00
chord 2 220.00 261.63 329.63
chord 3 174.61 220.00 261.63
chord 4 196.00 246.94 293.66
sox "$tmp/chord-1.wav" "$tmp/chord-2.wav" "$tmp/chord-3.wav" "$tmp/chord-4.wav" "$out/zh/moh.wav"
cp "$out/zh/moh.wav" "$out/en/moh.wav"

echo "generate-prompts.sh: $(ls "$out/zh" | wc -l) zh and $(ls "$out/en" | wc -l) en prompts, $(du -sh "$out" | cut -f1) in all"

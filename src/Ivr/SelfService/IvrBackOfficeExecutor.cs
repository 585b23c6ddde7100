using System.Globalization;
using CallCenter.Contracts.BackOffice;
using CallCenter.Contracts.Clients;
using CallCenter.Contracts.Documents;
using CallCenter.Contracts.Notices;
using CallCenter.Ivr.Flows;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallCenter.Ivr.SelfService;

/// <summary>
/// Runs a session's <see cref="IvrAction.BackOfficeRequest"/> against the back-office port and
/// turns the port's answer into the operation's result and variables (<see cref="IvrOperations"/>).
/// The host calls it off the call's loop and posts the answer back. Every state-changing call
/// carries the call id, the recording reference and the idempotency key
/// "&lt;callId&gt;:&lt;step&gt;", so a retried step happens once and the audit names the call.
/// A caller's entry that is not a number is a result with its own prompt, never an exception.
/// Quotes come from the quote port (<see cref="IQuoteSource"/>), the notices menu's announcements
/// from <see cref="IAnnouncements"/> (none without it), documents from <see cref="IDocumentRequests"/>
/// (no channel without it), everything else from the back office. Who the caller is
/// (<see cref="IvrCaller"/>) comes from the host, never from the flow's variables: a statement goes
/// only to the account the call verified by PIN.
/// </summary>
/// <remarks>
/// A verified PIN also answers the account owner's recorded language (<see cref="IvrOperations.ClientLanguage"/>,
/// from <see cref="IClientHoldings"/> and <see cref="IClientLanguages"/> when the host has them): the session's
/// prompts continue in it, and the documents asked for after it are worded in it.
/// A call has <see cref="PinTries"/> wrong PINs in all (<see cref="CallPinFailures"/>), whatever accounts it tries:
/// the tries left it hears count those, for a real account and an unknown one alike, and once they are spent
/// every PIN check of the call answers "locked" without asking the back office.
/// Across calls, a trusted calling number has <see cref="ICallerPinFailures"/>'s limit (10 wrong PINs in 24 hours, whatever
/// the accounts): once it is spent, every PIN check from that number answers "locked" without asking the back office,
/// except on the number's own account (<see cref="IClientHoldings.PhoneOfAccountAsync"/>), so a number cannot spread
/// guesses of one PIN over many accounts, a few each, and nobody locks a client out of their own account by naming their
/// number. A caller id the platform does not trust, a withheld one and a locked account's answer are not counted. A store
/// that fails is logged and does not stop the check: the call's and the account's own limits still hold.
/// </remarks>
public sealed partial class IvrBackOfficeExecutor(
    IBackOffice backOffice,
    IQuoteSource quotes,
    IAnnouncements? announcements = null,
    IDocumentRequests? documents = null,
    IClientHoldings? holdings = null,
    IClientLanguages? languages = null,
    CallPinFailures? pinFailures = null,
    ILogger<IvrBackOfficeExecutor>? logger = null,
    ICallerPinFailures? callerPinFailures = null)
{
    /// <summary>Wrong PINs one call may key, across all the accounts it tries; an unknown account counts down the same way.</summary>
    public const int PinTries = CallPinFailures.Max;

    private readonly CallPinFailures _pinFailures = pinFailures ?? new CallPinFailures();
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    private static readonly CultureInfo _invariant = CultureInfo.InvariantCulture;

    public async Task<IvrEvent.Answered> RunAsync(IvrAction.BackOfficeRequest request, string callId, string? recording, CancellationToken cancellationToken, IvrCaller? caller = null)
    {
        caller ??= IvrCaller.Unknown;
        ArgumentNullException.ThrowIfNull(request);
        var context = new OperationContext(callId, $"{callId}:{request.Step}", recording);
        var input = request.Inputs;
        string In(string name) => input.TryGetValue(name, out var value) ? value : "";
        return request.Operation switch
        {
            IvrOperations.VerifyPin => await VerifyAsync(request.RequestId, In("account"), In("pin"), context, caller, cancellationToken),
            IvrOperations.Funds => await FundsAsync(request.RequestId, In("account"), cancellationToken),
            IvrOperations.Positions => await PositionsAsync(request.RequestId, In("account"), cancellationToken),
            IvrOperations.TodaysOrders => await OrdersAsync(request.RequestId, In("account"), cancellationToken),
            IvrOperations.Quote => await QuoteAsync(request.RequestId, In("code"), cancellationToken),
            IvrOperations.PlaceOrder => await PlaceOrderAsync(request.RequestId, In("account"), In("side"), In("code"), In("price"), In("quantity"), context, cancellationToken),
            IvrOperations.CancelOrder => await CancelOrderAsync(request.RequestId, In("account"), In("itemOrderId"), context, cancellationToken),
            IvrOperations.Transfer => await TransferAsync(request.RequestId, In("account"), In("direction"), In("amount"), context, cancellationToken),
            IvrOperations.Announcements => await AnnouncementsAsync(request.RequestId, In("language"), cancellationToken),
            IvrOperations.DocumentChannels => await DocumentChannelsOfAsync(request.RequestId, In("document"), caller, cancellationToken),
            IvrOperations.SendDocument => await SendDocumentAsync(request.RequestId, In("document"), In("channel") switch
            {
                "1" => DocumentChannel.Sms,
                "2" => DocumentChannel.Email,
                _ => null,
            }, null, In("language"), caller, context, faxOnFile: false, cancellationToken),
            IvrOperations.FaxDocument => await SendDocumentAsync(request.RequestId, In("document"), DocumentChannel.Fax, In("faxNumber"), In("language"), caller, context, faxOnFile: false, cancellationToken),
            IvrOperations.FaxDocumentOnFile => await SendDocumentAsync(request.RequestId, In("document"), DocumentChannel.Fax, null, In("language"), caller, context, faxOnFile: true, cancellationToken),
            IvrOperations.ChangePin => await ChangePinAsync(request.RequestId, new PinChangeRequest(In("account"), In("pin"), In("newPin"), In("newPinAgain")), context, caller, cancellationToken),
            _ => IvrEvent.Answered.Error(request.RequestId),
        };
    }

    private async Task<IvrEvent.Answered> VerifyAsync(long id, string account, string pin, OperationContext context, IvrCaller caller, CancellationToken cancellationToken)
    {
        if (_pinFailures.TriesLeft(context.CallId) == 0)
        {
            LogPinTriesSpent(_logger, context.CallId);
            return Answer(id, "locked");
        }

        if (await NumberBlockedAsync(caller, account, context.CallId, cancellationToken))
        {
            return Answer(id, "locked");
        }

        var check = await backOffice.VerifyPinAsync(account, pin, context, cancellationToken);
        if (check.Outcome == PinCheckOutcome.Verified)
        {
            return await LanguageOfAccountAsync(account, cancellationToken) is { } language
                ? Answer(id, "verified", (IvrOperations.ClientLanguage, language))
                : Answer(id, "verified");
        }

        // No account enumeration: a wrong PIN, an unknown account and a locked one count against the
        // call alike, and what is spoken is the call's tries left, never the account's own count.
        return await WrongPinAsync(id, "wrong", check.Outcome == PinCheckOutcome.Locked, context.CallId, caller, cancellationToken, guessed: check.Compared);
    }

    /// <summary>
    /// A wrong PIN of the call (<paramref name="wrongResult"/> with the call's tries left), or "locked" when the account is,
    /// the call's tries are spent, or this wrong PIN spent the calling number's.
    /// </summary>
    private async Task<IvrEvent.Answered> WrongPinAsync(long id, string wrongResult, bool accountLocked, string callId, IvrCaller caller, CancellationToken cancellationToken, bool guessed = true)
    {
        var left = Math.Max(0, PinTries - _pinFailures.Add(callId));
        var numberBlocked = false;

        // An account that was locked before the check answers without comparing the PIN (PinCheck.Compared false):
        // no guess, not counted against the number, so a client who keeps trying their own locked account does not spend
        // their line's day too. The wrong PIN that locks an account was compared, and counts.
        if (guessed && callerPinFailures is not null && CallerKey(caller) is { } number)
        {
            try
            {
                if (await callerPinFailures.AddFailureAsync(number, cancellationToken) is { } until)
                {
                    numberBlocked = true;
                    LogNumberBlocked(_logger, callId, number, until);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogNumberCountFailed(_logger, e, callId, number);
            }
        }

        return accountLocked || left == 0 || numberBlocked ? Answer(id, "locked") : Answer(id, wrongResult, ("triesLeft", Text(left)));
    }

    /// <summary>
    /// True when the calling number has spent its wrong PINs across calls and <paramref name="account"/> is not the number's
    /// own (logged); false when it has not, is not trusted, or the store failed (logged). The account the directory gives the
    /// calling number stays open to it (its own lock still counts its PINs), so whoever spends a client's number, by
    /// naming it as their caller id, does not lock that client out of their own account.
    /// </summary>
    private async Task<bool> NumberBlockedAsync(IvrCaller caller, string account, string callId, CancellationToken cancellationToken)
    {
        if (callerPinFailures is null || CallerKey(caller) is not { } number)
        {
            return false;
        }

        try
        {
            if (await callerPinFailures.BlockedUntilAsync(number, cancellationToken) is not { } until)
            {
                return false;
            }

            if (holdings is not null && await holdings.PhoneOfAccountAsync(account, cancellationToken) is { } phone && NumberKey(phone) == number)
            {
                return false;
            }

            LogNumberStillBlocked(_logger, callId, number, until);
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogNumberCountFailed(_logger, e, callId, number);
            return false;
        }
    }

    /// <summary>The calling number as the per-number count keys it (<see cref="NumberKey"/>), or null when it is not trusted or not a number.</summary>
    private static string? CallerKey(IvrCaller caller) => caller.TrustedNumber is { } number ? NumberKey(number) : null;

    /// <summary>
    /// A number's digits, without a leading international prefix 00, and with the country code 86 in front of a national
    /// number turned into the number as dialled at home (so +86 138…, 0086 138… and 138… are one number, and +86 21… is
    /// 021…); null for a withheld or non-numeric caller id ("anonymous") or one
    /// of fewer than 5 digits, which are not counted: one such bucket would let anyone lock every withheld caller out.
    /// </summary>
    internal static string? NumberKey(string number)
    {
        var trimmed = number.Trim();
        var digits = trimmed.StartsWith('+') ? trimmed[1..] : trimmed;
        if (digits.Length < 5 || !digits.All(char.IsAsciiDigit))
        {
            return null;
        }

        if (digits.StartsWith("00", StringComparison.Ordinal))
        {
            digits = digits[2..];
        }

        // 86 and a national number: a mobile (1…) as it is dialled at home, a fixed line with its trunk 0 (+86 21… is 021…).
        if (digits.StartsWith("86", StringComparison.Ordinal) && digits.Length > 11)
        {
            var national = digits[2..];
            return national.StartsWith('1') || national.StartsWith('0') ? national : "0" + national;
        }

        return digits;
    }

    /// <summary>The verified account's owner's recorded language; null when the host cannot tell or the directory does not say.</summary>
    private async Task<string?> LanguageOfAccountAsync(string account, CancellationToken cancellationToken) =>
        holdings is not null && languages is not null && await holdings.PhoneOfAccountAsync(account, cancellationToken) is { } phone
            ? await languages.LanguageOfAsync(phone, cancellationToken)
            : null;

    private async Task<IvrEvent.Answered> FundsAsync(long id, string account, CancellationToken cancellationToken)
    {
        var funds = await backOffice.GetFundsAsync(account, cancellationToken);
        return funds is null
            ? IvrEvent.Answered.Error(id)
            : Answer(id, "ok", ("cash", Money(funds.Cash)), ("available", Money(funds.Available)), ("frozen", Money(funds.Frozen)));
    }

    private async Task<IvrEvent.Answered> PositionsAsync(long id, string account, CancellationToken cancellationToken)
    {
        var positions = await backOffice.GetPositionsAsync(account, cancellationToken);
        var items = positions.Select(p => Item(("itemCode", p.Code), ("itemName", StockPrompt(p.Code)), ("itemQuantity", Text(p.Quantity)), ("itemValue", Money(p.MarketValue)))).ToList();
        return List(id, items);
    }

    private async Task<IvrEvent.Answered> OrdersAsync(long id, string account, CancellationToken cancellationToken)
    {
        var orders = await backOffice.GetTodaysOrdersAsync(account, cancellationToken);
        var trades = await backOffice.GetTodaysTradesAsync(account, cancellationToken);
        // An open order carries its id and "yes" in itemCancellable, so the flow can offer to cancel it; a trade cannot be.
        var items = orders.Select(o => Item(
                ("itemKind", "item-order"), ("itemSide", SidePrompt(o.Side)), ("itemCode", o.Code), ("itemName", StockPrompt(o.Code)),
                ("itemPrice", Money(o.Price)), ("itemQuantity", Text(o.Quantity)), ("itemStatus", "status-" + o.Status.ToString().ToLowerInvariant()),
                ("itemOrderId", Text(o.Id)), ("itemCancellable", o.Status == OrderStatus.Open ? "yes" : "no")))
            .Concat(trades.Select(t => Item(
                ("itemKind", "item-trade"), ("itemSide", SidePrompt(t.Side)), ("itemCode", t.Code), ("itemName", StockPrompt(t.Code)),
                ("itemPrice", Money(t.Price)), ("itemQuantity", Text(t.Quantity)), ("itemStatus", "status-traded"),
                ("itemOrderId", ""), ("itemCancellable", "no"))))
            .ToList();
        return List(id, items);
    }

    private async Task<IvrEvent.Answered> QuoteAsync(long id, string code, CancellationToken cancellationToken)
    {
        var quote = IsStockCode(code) ? await quotes.GetQuoteAsync(code, cancellationToken) : null;
        if (quote is null)
        {
            return Answer(id, "unknownCode");
        }

        // The change is spoken as a direction and an amount: say reads amounts without a sign.
        var trend = quote.Change > 0 ? "up" : quote.Change < 0 ? "down" : "flat";
        return Answer(id, "known",
            ("quoteName", StockPrompt(quote.Code)), ("quoteLast", Money(quote.Last)), ("quotePreviousClose", Money(quote.PreviousClose)),
            ("quoteTrend", trend), ("quoteChange", Money(Math.Abs(quote.Change))));
    }

    private async Task<IvrEvent.Answered> AnnouncementsAsync(long id, string language, CancellationToken cancellationToken)
    {
        if (announcements is null)
        {
            return List(id, []);
        }

        var current = await announcements.CurrentAsync(language, IvrOperations.MaxItems, cancellationToken);
        return List(id, [.. current.Select(a => Item(("itemAudio", AnnouncementPrompt(a.Id))))]);
    }

    /// <summary>The prompt name that plays an announcement's audio: <c>announcement-17</c>.</summary>
    public static string AnnouncementPrompt(long id) => "announcement-" + Text(id);

    private async Task<IvrEvent.Answered> PlaceOrderAsync(long id, string account, string side, string code, string price, string quantity, OperationContext context, CancellationToken cancellationToken)
    {
        OrderSide? orderSide = side switch { "1" => OrderSide.Buy, "2" => OrderSide.Sell, _ => null };
        if (orderSide is null)
        {
            return Answer(id, "invalidSide");
        }

        if (!IsStockCode(code))
        {
            return Answer(id, "unknownCode");
        }

        if (!TryAmount(price, out var limit))
        {
            return Answer(id, "invalidPrice");
        }

        if (!long.TryParse(quantity, NumberStyles.None, _invariant, out var shares))
        {
            return Answer(id, "notWholeLot");
        }

        var result = await backOffice.PlaceOrderAsync(new OrderRequest(account, code, orderSide.Value, limit, shares), context, cancellationToken);
        if (result.Order is { } order)
        {
            return Answer(id, order.Status == OrderStatus.Filled ? "filled" : "placed", ("orderId", Text(order.Id)));
        }

        return result.Refusal switch
        {
            OrderRefusal.UnknownCode => Answer(id, "unknownCode"),
            OrderRefusal.InvalidPrice => Answer(id, "invalidPrice"),
            OrderRefusal.PriceOutOfBand => Answer(id, "priceOutOfBand"),
            OrderRefusal.NotWholeLot => Answer(id, "notWholeLot"),
            OrderRefusal.InsufficientFunds => Answer(id, "insufficientFunds"),
            OrderRefusal.InsufficientPosition => Answer(id, "insufficientPosition"),
            _ => IvrEvent.Answered.Error(id),
        };
    }

    /// <summary>
    /// Cancels an open order of the verified account: one transaction with the step's idempotency key, so a retried
    /// step cancels once; the back office checks the order is this account's, so an id from elsewhere is "unknownOrder".
    /// </summary>
    private async Task<IvrEvent.Answered> CancelOrderAsync(long id, string account, string orderId, OperationContext context, CancellationToken cancellationToken)
    {
        if (!long.TryParse(orderId, NumberStyles.None, _invariant, out var order))
        {
            return Answer(id, "unknownOrder");
        }

        var result = await backOffice.CancelOrderAsync(account, order, context, cancellationToken);
        if (result.IsCancelled)
        {
            return Answer(id, "cancelled");
        }

        return result.Refusal switch
        {
            CancelRefusal.NotOpen => Answer(id, "notOpen"),
            CancelRefusal.UnknownOrder => Answer(id, "unknownOrder"),
            _ => IvrEvent.Answered.Error(id),
        };
    }

    private async Task<IvrEvent.Answered> TransferAsync(long id, string account, string direction, string amount, OperationContext context, CancellationToken cancellationToken)
    {
        TransferDirection? way = direction switch { "1" => TransferDirection.BankToBrokerage, "2" => TransferDirection.BrokerageToBank, _ => null };
        if (way is null)
        {
            return Answer(id, "invalidDirection");
        }

        if (!TryAmount(amount, out var value))
        {
            return Answer(id, "invalidAmount");
        }

        var result = await backOffice.TransferAsync(new TransferRequest(account, way.Value, value), context, cancellationToken);
        if (result.IsDone)
        {
            // The transfer is done whatever follows: the balance is a courtesy, and a failed read of it
            // must not make the caller hear "not available" and transfer again under a new key.
            AccountFunds? funds = null;
            try
            {
                funds = await backOffice.GetFundsAsync(account, cancellationToken);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogBalanceAfterTransferFailed(_logger, e, context.CallId);
            }

            return funds is null ? Answer(id, "done") : Answer(id, "done", ("cash", Money(funds.Cash)));
        }

        return result.Refusal switch
        {
            TransferRefusal.AmountNotPositive or TransferRefusal.AmountTooPrecise => Answer(id, "invalidAmount"),
            TransferRefusal.OverDailyLimit => Answer(id, "overDailyLimit"),
            TransferRefusal.InsufficientFunds => Answer(id, "insufficientFunds"),
            TransferRefusal.InsufficientBankBalance => Answer(id, "insufficientBankBalance"),
            TransferRefusal.NoBankLink => Answer(id, "noBankLink"),
            _ => IvrEvent.Answered.Error(id),
        };
    }

    private async Task<IvrEvent.Answered> ChangePinAsync(long id, PinChangeRequest request, OperationContext context, IvrCaller caller, CancellationToken cancellationToken)
    {
        if (_pinFailures.TriesLeft(context.CallId) == 0)
        {
            LogPinTriesSpent(_logger, context.CallId);
            return Answer(id, "locked");
        }

        if (await NumberBlockedAsync(caller, request.Account, context.CallId, cancellationToken))
        {
            return Answer(id, "locked");
        }

        var result = await backOffice.ChangePinAsync(request, context, cancellationToken);
        if (result.Changed)
        {
            return Answer(id, "changed");
        }

        return result.Refusal switch
        {
            PinChangeRefusal.WrongPin or PinChangeRefusal.UnknownAccount => await WrongPinAsync(id, "wrongPin", accountLocked: false, context.CallId, caller, cancellationToken),
            PinChangeRefusal.Locked => await WrongPinAsync(id, "wrongPin", accountLocked: true, context.CallId, caller, cancellationToken),
            PinChangeRefusal.NotSixDigits => Answer(id, "notSixDigits"),
            PinChangeRefusal.SameAsOld => Answer(id, "sameAsOld"),
            PinChangeRefusal.TooSimple => Answer(id, "tooSimple"),
            PinChangeRefusal.Mismatch => Answer(id, "mismatch"),
            _ => IvrEvent.Answered.Error(id),
        };
    }

    private static DocumentKind? KindOf(string document) => document switch
    {
        "1" => DocumentKind.ResearchNote,
        "2" => DocumentKind.Statement,
        _ => null,
    };

    private async Task<IvrEvent.Answered> DocumentChannelsOfAsync(long id, string document, IvrCaller caller, CancellationToken cancellationToken)
    {
        var kind = KindOf(document);
        if (kind is null)
        {
            return Answer(id, "invalidDocument");
        }

        if (kind == DocumentKind.Statement && caller.VerifiedAccount is null)
        {
            return Answer(id, "needsPin");
        }

        var channels = documents?.Channels ?? Contracts.Documents.DocumentChannels.None;
        var faxOnFile = documents is not null && channels.HasFlag(Contracts.Documents.DocumentChannels.Fax)
            && await documents.HasFaxOnFileAsync(kind.Value, caller.TrustedNumber, caller.VerifiedAccount, cancellationToken);
        static string YesNo(bool on) => on ? "yes" : "no";
        return Answer(id, "ok",
            ("smsOffered", YesNo(channels.HasFlag(Contracts.Documents.DocumentChannels.Sms))),
            ("emailOffered", YesNo(channels.HasFlag(Contracts.Documents.DocumentChannels.Email))),
            ("faxOffered", YesNo(channels.HasFlag(Contracts.Documents.DocumentChannels.Fax))),
            ("faxOnFile", YesNo(faxOnFile)));
    }

    private async Task<IvrEvent.Answered> SendDocumentAsync(long id, string document, DocumentChannel? channel, string? faxNumber, string language, IvrCaller caller, OperationContext context, bool faxOnFile, CancellationToken cancellationToken)
    {
        var kind = KindOf(document);
        if (kind is null || channel is null)
        {
            return Answer(id, "invalidDocument");
        }

        if (documents is null)
        {
            return Answer(id, "unavailable");
        }

        var result = await documents.RequestAsync(
            new DocumentRequest(kind.Value, channel.Value, language, context, caller.TrustedNumber, caller.VerifiedAccount, faxNumber, faxOnFile), cancellationToken);
        return result.Outcome switch
        {
            DocumentOutcome.Queued => Answer(id, "queued", ("documentId", result.Id ?? "")),
            DocumentOutcome.ChannelUnavailable => Answer(id, "unavailable"),
            DocumentOutcome.NotVerified => Answer(id, "needsPin"),
            DocumentOutcome.NoContact => Answer(id, "noContact"),
            DocumentOutcome.FaxNumberRefused => Answer(id, "numberRefused"),
            _ => IvrEvent.Answered.Error(id),
        };
    }

    /// <summary>The prompt that speaks a stock's name: <c>stock-600000</c> (silence where none was recorded).</summary>
    public static string StockPrompt(string code) => "stock-" + code;

    private static string SidePrompt(OrderSide side) => side == OrderSide.Buy ? "side-buy" : "side-sell";

    private static bool IsStockCode(string code) => code.Length == 6 && code.All(char.IsAsciiDigit);

    private static bool TryAmount(string text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint, _invariant, out value);

    private static string Money(decimal value) => value.ToString("0.00", _invariant);

    private static string Text(long value) => value.ToString(_invariant);

    private static Dictionary<string, string> Item(params (string Name, string Value)[] fields) =>
        fields.ToDictionary(f => f.Name, f => f.Value, StringComparer.Ordinal);

    private static IvrEvent.Answered Answer(long id, string result, params (string Name, string Value)[] values) =>
        new(id, result, Item(values), []);

    [LoggerMessage(4181, LogLevel.Warning, "Call {CallId}: a transfer is done; the balance read after it failed, so the caller hears it done without the balance")]
    private static partial void LogBalanceAfterTransferFailed(ILogger logger, Exception exception, string callId);

    [LoggerMessage(4156, LogLevel.Warning, "Call {CallId}: calling number {Number} has keyed its wrong PINs for the day; its PIN checks are refused until {Until}")]
    private static partial void LogNumberBlocked(ILogger logger, string callId, string number, DateTimeOffset until);

    [LoggerMessage(4157, LogLevel.Information, "Call {CallId}: PIN check refused: calling number {Number} spent its wrong PINs, until {Until}")]
    private static partial void LogNumberStillBlocked(ILogger logger, string callId, string number, DateTimeOffset until);

    [LoggerMessage(4158, LogLevel.Warning, "Call {CallId}: the wrong PINs of calling number {Number} could not be read or counted; the call's and the account's limits still apply")]
    private static partial void LogNumberCountFailed(ILogger logger, Exception exception, string callId, string number);

    [LoggerMessage(4182, LogLevel.Warning, "Call {CallId}: the call's wrong PINs are spent; no more PIN checks in this call")]
    private static partial void LogPinTriesSpent(ILogger logger, string callId);

    private static IvrEvent.Answered List(long id, List<Dictionary<string, string>> items) =>
        new(id, items.Count == 0 ? "none" : "ok", Item(("itemCount", Text(items.Count))), [.. items.Take(IvrOperations.MaxItems)]);
}

namespace CallCenter.Ivr.SelfService;

/// <summary>
/// What a <c>backOffice</c> node may ask: each operation's input variables (read from the session,
/// secrets included), its results (the node's branches; every operation may also answer
/// <see cref="Error"/>), the variables it sets, and the fields of each item of a list. The contract
/// between flows and <see cref="IvrBackOfficeExecutor"/>; flows are validated against it at load.
/// </summary>
public static class IvrOperations
{
    /// <summary>The back office failed, timed out or refused in a way the caller cannot fix.</summary>
    public const string Error = "error";

    public const string VerifyPin = "verifyPin";
    public const string Funds = "funds";
    public const string Positions = "positions";
    public const string TodaysOrders = "todaysOrders";
    public const string Quote = "quote";
    public const string PlaceOrder = "placeOrder";

    /// <summary>Cancels one of today's open orders (<c>orderId</c> from the orders list's <c>itemOrderId</c>) of the verified account.</summary>
    public const string CancelOrder = "cancelOrder";
    public const string Transfer = "transfer";
    public const string ChangePin = "changePin";
    public const string Announcements = "announcements";
    public const string DocumentChannels = "documentChannels";
    public const string SendDocument = "sendDocument";
    public const string FaxDocument = "faxDocument";

    /// <summary>Faxes the document to its owner's fax number on file (offered when <c>faxOnFile</c> is yes).</summary>
    public const string FaxDocumentOnFile = "faxDocumentOnFile";

    /// <summary>
    /// A value the executor (never a flow) adds to an answer: the known client's recorded language, which the
    /// session speaks from then on (<c>BackOfficeNode</c>) unless the caller chose a language on this call (then that
    /// choice stands). Not a flow variable: flows read it as <c>language</c>.
    /// </summary>
    public const string ClientLanguage = "clientLanguage";

    public static readonly IReadOnlyDictionary<string, IvrOperation> All = new Dictionary<string, IvrOperation>(StringComparer.Ordinal)
    {
        [VerifyPin] = new(VerifyPin, ["account", "pin"], ["verified", "wrong", "locked"], ["triesLeft"], []),
        [Funds] = new(Funds, ["account"], ["ok"], ["cash", "available", "frozen"], []),
        [Positions] = new(Positions, ["account"], ["ok", "none"], ["itemCount"], ["itemCode", "itemName", "itemQuantity", "itemValue"]),
        [TodaysOrders] = new(TodaysOrders, ["account"], ["ok", "none"], ["itemCount"],
            ["itemKind", "itemSide", "itemCode", "itemName", "itemPrice", "itemQuantity", "itemStatus", "itemOrderId", "itemCancellable"]),
        [Quote] = new(Quote, ["code"], ["known", "unknownCode"], ["quoteName", "quoteLast", "quotePreviousClose", "quoteTrend", "quoteChange"], []),
        [PlaceOrder] = new(PlaceOrder, ["account", "side", "code", "price", "quantity"],
            ["placed", "filled", "invalidSide", "unknownCode", "invalidPrice", "priceOutOfBand", "notWholeLot", "insufficientFunds", "insufficientPosition"],
            ["orderId"], []),
        [CancelOrder] = new(CancelOrder, ["account", "itemOrderId"], ["cancelled", "notOpen", "unknownOrder"], [], []),
        [Transfer] = new(Transfer, ["account", "direction", "amount"],
            ["done", "invalidDirection", "invalidAmount", "overDailyLimit", "insufficientFunds", "insufficientBankBalance", "noBankLink"],
            ["cash"], []),
        [ChangePin] = new(ChangePin, ["account", "pin", "newPin", "newPinAgain"],
            ["changed", "wrongPin", "locked", "notSixDigits", "sameAsOld", "mismatch", "tooSimple"], ["triesLeft"], []),
        [Announcements] = new(Announcements, ["language"], ["ok", "none"], ["itemCount"], ["itemAudio"]),

        // Documents (文字回复): document 1 the research note, 2 the statement (a PIN-verified account
        // only); channel 1 SMS, 2 e-mail (to the contact on file), fax to the keyed faxNumber.
        [DocumentChannels] = new(DocumentChannels, ["document"], ["ok", "needsPin", "invalidDocument"], ["smsOffered", "emailOffered", "faxOffered", "faxOnFile"], []),
        [SendDocument] = new(SendDocument, ["document", "channel", "language"], ["queued", "unavailable", "needsPin", "noContact", "invalidDocument"], ["documentId"], []),
        [FaxDocument] = new(FaxDocument, ["document", "faxNumber", "language"], ["queued", "unavailable", "needsPin", "numberRefused", "invalidDocument"], ["documentId"], []),
        [FaxDocumentOnFile] = new(FaxDocumentOnFile, ["document", "language"], ["queued", "unavailable", "needsPin", "noContact", "invalidDocument"], ["documentId"], []),
    };

    /// <summary>The most items one answer carries (each is read by a few nodes, within the session's visit limit).</summary>
    public const int MaxItems = 9;
}

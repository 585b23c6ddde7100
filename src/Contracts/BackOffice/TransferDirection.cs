namespace CallCenter.Contracts.BackOffice;

public enum TransferDirection
{
    /// <summary>银行转证券: money into the fund account.</summary>
    BankToBrokerage,

    /// <summary>证券转银行: money out to the bank.</summary>
    BrokerageToBank,
}

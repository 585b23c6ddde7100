namespace CallCenter.Contracts.BackOffice;

public enum OrderSide
{
    Buy,
    Sell,
}

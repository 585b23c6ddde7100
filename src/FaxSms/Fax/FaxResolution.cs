namespace CallCenter.FaxSms.Fax;

/// <summary>T.4's two everyday resolutions: 204 x 98 dots per inch (standard) and 204 x 196 (fine).</summary>
public enum FaxResolution
{
    Fine,
    Standard,
}

using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Cairn.Server.Webhooks;

/// <summary>
/// Webhook secrets are stored encrypted with ASP.NET Core Data Protection (keys kept with the server's other keys),
/// so a copy of the webhooks table, a log of its rows or a support dump does not hand out the HMAC keys.
/// The plain secret exists only in the create (or update) request, its answer, and the moment of signing.
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Cairn.Webhooks.Secret.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    /// <summary>The plain secret, or null when the stored value cannot be decrypted (the keys it was made with are gone).</summary>
    public string? Reveal(string stored)
    {
        try
        {
            return _protector.Unprotect(stored);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}

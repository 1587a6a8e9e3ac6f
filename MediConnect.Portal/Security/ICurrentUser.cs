namespace MediConnect.Portal.Security;

/// <summary>
/// Who is signed in, for services and components. Services call <see cref="RequireAsync"/> with
/// the roles a method allows: the server decides access, never an id from the page.
/// </summary>
public interface ICurrentUser
{
    /// <summary>The signed-in user, or null when nobody is signed in.</summary>
    Task<PortalUser?> GetAsync();
}

public static class CurrentUserExtensions
{
    /// <summary>The signed-in user when their role is one of <paramref name="roles"/> (any role when none given).</summary>
    /// <exception cref="AccessDeniedException">Nobody is signed in, or the role is not allowed.</exception>
    public static async Task<PortalUser> RequireAsync(this ICurrentUser currentUser, params string[] roles)
    {
        var user = await currentUser.GetAsync() ?? throw new AccessDeniedException("Please sign in.");
        if (roles.Length > 0 && !roles.Contains(user.Role))
            throw new AccessDeniedException();
        return user;
    }
}

using MediConnect.Portal.Security;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Serilog;
using Serilog.Context;

namespace MediConnect.Portal.Features.Account;

/// <summary>
/// Puts the signed-in user's id (never the email) on every log event as <c>UserId</c>: for HTTP
/// requests (including Serilog's request line) and for everything a Blazor circuit does.
/// </summary>
public static class UserLogContext
{
    public const string PropertyName = "UserId";

    public static IApplicationBuilder UseUserLogContext(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var user = CurrentUser.FromPrincipal(context.User);
        if (user is null)
        {
            await next(context);
            return;
        }
        context.RequestServices.GetService<IDiagnosticContext>()?.Set(PropertyName, user.Id);
        using (LogContext.PushProperty(PropertyName, user.Id))
            await next(context);
    });
}

/// <summary>The circuit side of <see cref="UserLogContext"/>: each inbound event runs with the user id pushed.</summary>
public sealed class UserLogCircuitHandler(AuthenticationStateProvider authenticationState) : CircuitHandler, IDisposable
{
    int? _userId;

    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        authenticationState.AuthenticationStateChanged += OnChanged;
        _userId = CurrentUser.FromPrincipal((await authenticationState.GetAuthenticationStateAsync()).User)?.Id;
    }

    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            if (_userId is not { } id)
            {
                await next(context);
                return;
            }
            using (LogContext.PushProperty(UserLogContext.PropertyName, id))
                await next(context);
        };

    void OnChanged(Task<AuthenticationState> state) =>
        state.ContinueWith(t => _userId = t.IsCompletedSuccessfully ? CurrentUser.FromPrincipal(t.Result.User)?.Id : null, TaskScheduler.Default);

    public void Dispose() => authenticationState.AuthenticationStateChanged -= OnChanged;
}

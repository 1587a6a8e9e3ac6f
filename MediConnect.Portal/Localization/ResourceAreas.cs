namespace MediConnect.Portal.Localization;

// Marker classes: each names one resource set (ShellText.resx beside this file, and ShellText.<culture>.resx
// for a translation). Components inject IStringLocalizer<ShellText> and so on.

/// <summary>The shell: app bar, menus, idle warning, notifications bell, error and outage messages.</summary>
public sealed class ShellText;

/// <summary>Sign-in: password, two-factor code, two-factor set-up, and why a session ended.</summary>
public sealed class SignInText;

/// <summary>The patient's pages under <c>Features/Patient/</c>.</summary>
public sealed class PatientText;

/// <summary>Vital signs wherever they are shown (<c>Features/Shared/Vitals/</c>): measures, units, flags, trend charts.</summary>
public sealed class VitalsText;

/// <summary>Email and SMS notices (<c>Features/Shared/Notifications/Delivery/</c>): subjects, bodies, the unsubscribe page.</summary>
public sealed class NoticeText;

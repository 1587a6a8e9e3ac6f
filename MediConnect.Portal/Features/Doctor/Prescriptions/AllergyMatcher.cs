using System.Text.RegularExpressions;

namespace MediConnect.Portal.Features.Doctor.Prescriptions;

/// <summary>A recorded allergy the medication may trigger, and why.</summary>
public sealed record AllergyMatch(string Allergy, string Explanation);

/// <summary>
/// Compares a medication with a patient's recorded allergies (the structured list, or free text): a
/// case-insensitive word match ("Penicillin" ↔ "Penicillin V"), and a small table of drug
/// classes ("Penicillin" allergy ↔ amoxicillin, "Sulfa drugs" ↔ sulfamethoxazole). A warning
/// aid for the doctor, not a complete interaction database.
/// </summary>
public static partial class AllergyMatcher
{
    sealed record DrugClass(string Name, string[] AllergyWords, string[] Drugs);

    static readonly DrugClass[] Classes =
    [
        new("penicillin", ["penicillin", "penicillins", "amoxicillin", "ampicillin"],
            ["penicillin", "amoxicillin", "ampicillin", "piperacillin", "dicloxacillin", "nafcillin", "oxacillin", "augmentin"]),
        new("sulfonamide", ["sulfa", "sulfonamide", "sulfonamides", "sulpha"],
            ["sulfamethoxazole", "sulfadiazine", "sulfasalazine", "bactrim", "septra"]),
        new("cephalosporin", ["cephalosporin", "cephalosporins"],
            ["cephalexin", "cefuroxime", "ceftriaxone", "cefazolin", "cefdinir"]),
        new("NSAID", ["nsaid", "nsaids", "aspirin", "ibuprofen"],
            ["aspirin", "ibuprofen", "naproxen", "diclofenac", "ketorolac", "celecoxib"]),
        new("opioid", ["opioid", "opioids", "codeine", "morphine"],
            ["codeine", "morphine", "hydrocodone", "oxycodone", "tramadol"]),
    ];

    // Words in an allergy entry that say nothing about the substance.
    static readonly HashSet<string> NoiseWords = ["drug", "drugs", "allergy", "allergic", "to", "and", "mild", "severe", "class", "antibiotics", "rash"];

    /// <summary>Matches against comma-, semicolon- or line-separated free text.</summary>
    public static IReadOnlyList<AllergyMatch> Match(string? allergies, string? medication) =>
        Match((allergies ?? "").Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), medication);

    /// <summary>Matches against one entry per allergy (the structured list).</summary>
    public static IReadOnlyList<AllergyMatch> Match(IReadOnlyList<string> allergies, string? medication)
    {
        var medicationWords = Words(medication).ToHashSet();
        if (allergies.Count == 0 || medicationWords.Count == 0)
            return [];

        var matches = new List<AllergyMatch>();
        foreach (var allergy in allergies.Select(a => a.Trim()).Where(a => a.Length > 0))
        {
            var allergyWords = Words(allergy).Where(w => !NoiseWords.Contains(w)).ToList();
            if (allergyWords.FirstOrDefault(w => medicationWords.Contains(w) || medicationWords.Contains(Singular(w))) is { } word)
            {
                matches.Add(new AllergyMatch(allergy, $"The medication contains \"{word}\", and the patient is allergic to {allergy}."));
                continue;
            }
            var drugClass = Classes.FirstOrDefault(c => allergyWords.Any(c.AllergyWords.Contains));
            if (drugClass?.Drugs.FirstOrDefault(medicationWords.Contains) is { } drug)
                matches.Add(new AllergyMatch(allergy, $"{Capitalise(drug)} is a {drugClass.Name}, and the patient is allergic to {allergy}."));
        }
        return matches;
    }

    static IEnumerable<string> Words(string? text) =>
        text is null ? [] : WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value).Where(w => w.Length >= 3);

    static string Singular(string word) => word.EndsWith('s') ? word[..^1] : word;

    static string Capitalise(string word) => char.ToUpperInvariant(word[0]) + word[1..];

    [GeneratedRegex("[a-z]+")]
    private static partial Regex WordPattern();
}

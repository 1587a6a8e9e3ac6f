using MediConnect.Portal.Localization;
using Microsoft.Extensions.Localization;

namespace MediConnect.Portal.Features.Shared.Vitals;

/// <summary>
/// A measure's name and unit as a reader sees them, in the reader's language. <see cref="VitalRange.Label"/>
/// and <see cref="VitalRange.Unit"/> stay English: they go into validation, notifications and the FHIR export.
/// </summary>
public static class VitalMeasureDisplay
{
    public static string Label(IStringLocalizer<VitalsText> text, VitalMeasure measure) => measure switch
    {
        VitalMeasure.HeartRate => text["Measure.HeartRate"],
        VitalMeasure.Systolic => text["Measure.Systolic"],
        VitalMeasure.Diastolic => text["Measure.Diastolic"],
        VitalMeasure.Temperature => text["Measure.Temperature"],
        VitalMeasure.OxygenSaturation => text["Measure.OxygenSaturation"],
        VitalMeasure.RespiratoryRate => text["Measure.RespiratoryRate"],
        VitalMeasure.GlucoseLevel => text["Measure.Glucose"],
        VitalMeasure.Weight => text["Measure.Weight"],
        _ => text["Measure.Height"],
    };

    public static string Unit(IStringLocalizer<VitalsText> text, VitalMeasure measure) => measure switch
    {
        VitalMeasure.HeartRate => text["Unit.BeatsPerMinute"],
        VitalMeasure.Systolic or VitalMeasure.Diastolic => text["Unit.MillimetresOfMercury"],
        VitalMeasure.Temperature => text["Unit.Celsius"],
        VitalMeasure.OxygenSaturation => text["Unit.Percent"],
        VitalMeasure.RespiratoryRate => text["Unit.BreathsPerMinute"],
        VitalMeasure.GlucoseLevel => text["Unit.MilligramsPerDecilitre"],
        VitalMeasure.Weight => text["Unit.Kilograms"],
        _ => text["Unit.Centimetres"],
    };
}

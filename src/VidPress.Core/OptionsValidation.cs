using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace VidPress.Core;

/// <summary>
/// Options bound from a configuration section and checked when the host starts: a value out of its bounds stops the
/// host with a message that names the setting as an operator writes it ("Library:SceneThreshold"), instead of
/// failing jobs later. The bounds are the validation attributes on each property (<see cref="AtLeastAttribute"/>,
/// <see cref="BetweenAttribute"/>, <see cref="DurationAttribute"/> …), on nested settings objects too, and
/// <see cref="IValidatableObject"/> for rules between two settings.
/// </summary>
public static class OptionsValidation
{
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, string section) where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new SettingsValidator<T>(section));
        return services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
    }

    /// <summary>The same, bound from <paramref name="configuration"/> rather than the container's configuration.</summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, IConfiguration configuration, string section) where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new SettingsValidator<T>(section));
        return services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateOnStart();
    }

    /// <summary>The failures of <paramref name="settings"/> bound from <paramref name="section"/>, each naming its key.</summary>
    public static IReadOnlyList<string> Check(object settings, string section)
    {
        var failures = new List<string>();
        Check(settings, section, failures, depth: 0);
        return failures;
    }

    private static void Check(object settings, string prefix, List<string> failures, int depth)
    {
        foreach (var property in settings.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.GetMethod is null) continue;
            var key = prefix + ":" + property.Name;
            var value = property.GetValue(settings);
            var context = new ValidationContext(settings) { MemberName = property.Name, DisplayName = key };
            foreach (var rule in property.GetCustomAttributes<ValidationAttribute>())
                if (rule.GetValidationResult(value, context) is { ErrorMessage: { } message }) failures.Add(message);
            // A nested settings object ("Library:Quality:MinBrightness") is checked with its own keys.
            if (depth < 4 && value is not null && property.PropertyType.IsClass && property.PropertyType.Namespace?.StartsWith("VidPress.", StringComparison.Ordinal) == true)
                Check(value, key, failures, depth + 1);
        }
        if (settings is IValidatableObject validatable)
            foreach (var result in validatable.Validate(new ValidationContext(settings)))
                failures.Add(string.Join(" and ", result.MemberNames.Select(m => prefix + ":" + m)) + " " + result.ErrorMessage);
    }

    private sealed class SettingsValidator<T>(string section) : IValidateOptions<T> where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var failures = Check(options, section);
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }

    internal static string Show(object? value) => value switch
    {
        null => "empty",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

/// <summary>A number at least <see cref="Minimum"/> (a size, a count, a rate).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class AtLeastAttribute(double minimum) : ValidationAttribute
{
    public double Minimum { get; } = minimum;

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is not null && Convert.ToDouble(value, CultureInfo.InvariantCulture) >= Minimum
            ? ValidationResult.Success
            : new ValidationResult($"{validationContext.DisplayName} must be at least {Minimum.ToString(CultureInfo.InvariantCulture)}; it is {OptionsValidation.Show(value)}.");
}

/// <summary>A number in [<see cref="Minimum"/>, <see cref="Maximum"/>] (a fraction, a ratio, a score); (<see cref="Minimum"/>, …] with <see cref="MinimumExcluded"/>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class BetweenAttribute(double minimum, double maximum) : ValidationAttribute
{
    public double Minimum { get; } = minimum;
    public double Maximum { get; } = maximum;
    public bool MinimumExcluded { get; set; }

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        if (value is not null && Convert.ToDouble(value, CultureInfo.InvariantCulture) is var number
            && (MinimumExcluded ? number > Minimum : number >= Minimum) && number <= Maximum)
            return ValidationResult.Success;
        var (low, high) = (Minimum.ToString(CultureInfo.InvariantCulture), Maximum.ToString(CultureInfo.InvariantCulture));
        return new ValidationResult(MinimumExcluded
            ? $"{validationContext.DisplayName} must be more than {low} and at most {high}; it is {OptionsValidation.Show(value)}."
            : $"{validationContext.DisplayName} must be between {low} and {high}; it is {OptionsValidation.Show(value)}.");
    }
}

/// <summary>A time span in [<see cref="Minimum"/>, <see cref="Maximum"/>], both written as TimeSpan text ("00:00:01", "1.00:00:00").</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DurationAttribute(string minimum, string maximum) : ValidationAttribute
{
    public TimeSpan Minimum { get; } = TimeSpan.Parse(minimum, CultureInfo.InvariantCulture);
    public TimeSpan Maximum { get; } = TimeSpan.Parse(maximum, CultureInfo.InvariantCulture);

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is TimeSpan span && span >= Minimum && span <= Maximum
            ? ValidationResult.Success
            : new ValidationResult($"{validationContext.DisplayName} must be between {Minimum:c} and {Maximum:c}; it is {OptionsValidation.Show(value)}.");
}

/// <summary>A text that is set (not empty or blanks): a tool's path, a model folder, a bucket.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SetAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is string text && !string.IsNullOrWhiteSpace(text)
            ? ValidationResult.Success
            : new ValidationResult($"{validationContext.DisplayName} must be set.");
}

/// <summary>One of a few words (case as written).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OneOfAttribute(params string[] allowed) : ValidationAttribute
{
    public IReadOnlyList<string> Allowed { get; } = allowed;

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is string text && Allowed.Contains(text)
            ? ValidationResult.Success
            : new ValidationResult($"{validationContext.DisplayName} must be one of {string.Join(", ", Allowed)}; it is {OptionsValidation.Show(value)}.");
}

/// <summary>An absolute http or https address.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class HttpUrlAttribute : ValidationAttribute
{
    /// <summary>Whether leaving it empty is allowed (it then means a default, as the setting says).</summary>
    public bool Optional { get; set; }

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        (Optional && string.IsNullOrEmpty(value as string)) || value is string text && Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? ValidationResult.Success
            : new ValidationResult($"{validationContext.DisplayName} must be an absolute http or https address; it is {OptionsValidation.Show(value)}.");
}

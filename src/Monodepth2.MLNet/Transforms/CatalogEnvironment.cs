using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace Monodepth2.MLNet.Transforms;

/// <summary>
/// The <see cref="MLContext"/> behind a catalog, so that messages reach <c>MLContext.Log</c>. ML.NET keeps it in an
/// internal member (a catalog's <c>Environment</c>); when a future version renames it, logging goes to a private
/// context instead of failing.
/// </summary>
internal static class CatalogEnvironment
{
    private static readonly Func<TransformsCatalog, IHostEnvironment?> Getter = Find();

    public static IHostEnvironment Of(TransformsCatalog catalog) => Getter(catalog) ?? new MLContext();

    private static Func<TransformsCatalog, IHostEnvironment?> Find()
    {
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;
        var field = typeof(TransformsCatalog).GetFields(flags).FirstOrDefault(f => f.FieldType == typeof(IHostEnvironment));
        if (field is not null)
        {
            return c => field.GetValue(c) as IHostEnvironment;
        }

        var property = typeof(TransformsCatalog).GetProperties(flags).FirstOrDefault(p => p.PropertyType == typeof(IHostEnvironment));
        return property is null ? _ => null : c => property.GetValue(c) as IHostEnvironment;
    }
}

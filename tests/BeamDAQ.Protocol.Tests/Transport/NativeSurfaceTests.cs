using System.Reflection;
using System.Runtime.InteropServices;
using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Protocol.Tests.Transport;

/// <summary>Keeps native handles and pointers inside the interop layer: nothing public may expose them.</summary>
public sealed class NativeSurfaceTests
{
    private const BindingFlags Visible = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    [Fact]
    public void WhenInspectingEveryPublicTypeThenNoneExposesIntPtrPointersOrSafeHandles()
    {
        var assembly = typeof(ZmqSocket).Assembly;
        var offences = new List<string>();

        foreach (var type in assembly.GetExportedTypes())
        {
            if (IsNative(type.BaseType)) offences.Add($"{type} derives from {type.BaseType}");
            foreach (var member in type.GetMembers(Visible).Where(IsVisibleOutside))
                foreach (var exposed in ExposedTypes(member).Where(IsNative))
                    offences.Add($"{type}.{member.Name} exposes {exposed}");
        }

        Assert.True(offences.Count == 0, string.Join(Environment.NewLine, offences));
    }

    [Fact]
    public void WhenTheCheckIsGivenANativeTypeThenItIsCaught()
    {
        // Guards the test itself: it must recognise what it is looking for, wherever it hides.
        Assert.True(IsNative(typeof(nint)));
        Assert.True(IsNative(typeof(SafeHandle)));
        Assert.True(IsNative(typeof(Microsoft.Win32.SafeHandles.SafeFileHandle)));
        Assert.True(IsNative(typeof(byte*)));
        Assert.True(IsNative(typeof(List<nint>)));
        Assert.True(IsNative(typeof(nint).MakeByRefType()));
        Assert.False(IsNative(typeof(ReadOnlySpan<byte>)));
    }

    private static bool IsVisibleOutside(MemberInfo member) => member switch
    {
        FieldInfo f => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly,
        MethodBase m => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly,
        PropertyInfo p => p.GetAccessors(nonPublic: true).Any(a => a.IsPublic || a.IsFamily || a.IsFamilyOrAssembly),
        EventInfo e => e.AddMethod is { } add && (add.IsPublic || add.IsFamily),
        _ => false, // nested types are checked as exported types of their own
    };

    private static IEnumerable<Type> ExposedTypes(MemberInfo member) => member switch
    {
        FieldInfo f => [f.FieldType],
        PropertyInfo p => [p.PropertyType, .. p.GetIndexParameters().Select(i => i.ParameterType)],
        MethodInfo m => [m.ReturnType, .. m.GetParameters().Select(i => i.ParameterType)],
        ConstructorInfo c => c.GetParameters().Select(i => i.ParameterType),
        EventInfo e => e.EventHandlerType is { } handler ? [handler] : [],
        _ => [],
    };

    private static bool IsNative(Type? type)
    {
        if (type is null) return false;
        if (type == typeof(nint) || type == typeof(nuint) || type.IsPointer || type.IsFunctionPointer) return true;
        if (typeof(SafeHandle).IsAssignableFrom(type)) return true;
        if (type.HasElementType && IsNative(type.GetElementType())) return true;
        return type.IsGenericType && type.GetGenericArguments().Any(IsNative);
    }
}

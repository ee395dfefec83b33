using System.Runtime.CompilerServices;

namespace Monodepth2.Data.Synthetic;

/// <summary>
/// One seeded street in the street frame (x right, y down, z forward along the street; the first camera sits at the
/// origin, the flat ground is the plane y = <see cref="GroundY"/>): lane geometry, building blocks on both sides, parked
/// cars, bins and poles as axis-aligned boxes, and a grid of 1-D cells along z for fast ray casting.
/// </summary>
internal sealed class StreetLayout
{
    /// <summary>Length of a ray-casting cell along z, in metres.</summary>
    private const double CellLength = 4.0;

    /// <summary>Cells per coarse cell.</summary>
    private const int CoarseCells = 16;

    /// <summary>Farthest distance (ray parameter) a ray is followed looking for boxes.</summary>
    private const double MaxDistance = 5000.0;

    private readonly SceneBox[] boxes;
    private readonly CellGroup[][] cells;
    private readonly Bounds[][] coarse;
    private readonly double gridStart;
    private readonly double topY;

    public StreetLayout(uint seed, double groundY, double length)
    {
        var rng = new SplitMix(((ulong)seed << 32) ^ 0xA5A5_1234_5678_9ABCul);
        Seed = seed;
        GroundY = groundY;

        LaneWidth = rng.Uniform(3.2, 3.8);
        CentreLineX = -LaneWidth / 2;
        RightLaneEdgeX = LaneWidth / 2;
        LeftLaneEdgeX = CentreLineX - LaneWidth;
        RightRoadEdgeX = RightLaneEdgeX + rng.Uniform(2.0, 2.6);
        LeftRoadEdgeX = LeftLaneEdgeX - rng.Uniform(2.0, 2.6);
        RightSidewalkX = RightRoadEdgeX + rng.Uniform(2.0, 4.5);
        LeftSidewalkX = LeftRoadEdgeX - rng.Uniform(2.0, 4.5);
        AsphaltGrey = rng.Uniform(0.24, 0.36);
        SidewalkGrey = rng.Uniform(0.5, 0.66);
        TileSize = rng.Uniform(0.3, 0.6);
        DashPeriod = rng.Uniform(8, 12);
        DashLength = rng.Uniform(2.5, 4);
        ParkingBayLength = rng.Uniform(5.5, 6.5);
        CrosswalkPeriod = rng.Uniform(90, 180);
        CrosswalkOffset = rng.Uniform(20, 60);

        var sun = (X: rng.Uniform(-0.8, 0.8), Y: -rng.Uniform(0.4, 0.9), Z: rng.Uniform(-0.6, 0.6));
        var sunNorm = Math.Sqrt((sun.X * sun.X) + (sun.Y * sun.Y) + (sun.Z * sun.Z));
        SunX = sun.X / sunNorm;
        SunY = sun.Y / sunNorm;
        SunZ = sun.Z / sunNorm;
        Overcast = rng.Uniform(0, 1);

        var zStart = -40.0;
        var zEnd = length + 320.0;
        var list = new List<SceneBox>();
        AddBuildings(rng, list, +1, zStart, zEnd);
        AddBuildings(rng, list, -1, zStart, zEnd);
        AddParked(rng, list, +1, zStart, zEnd);
        AddParked(rng, list, -1, zStart, zEnd);
        AddStreetFurniture(rng, list, +1, zStart, zEnd);
        AddStreetFurniture(rng, list, -1, zStart, zEnd);
        boxes = [.. list];

        gridStart = zStart - CellLength;
        var count = (int)Math.Ceiling((zEnd + 200 - gridStart) / CellLength);
        var lists = new List<int>[count, 6];
        topY = groundY;
        for (var b = 0; b < boxes.Length; b++)
        {
            ref readonly var box = ref boxes[b];

            // Groups: side (left of x = 0, right of it, straddling) x (building, low obstacle), each with its own bounds,
            // so a ray skips whole groups it cannot reach within a cell.
            var side = box.MaxX <= 0 ? 0 : box.MinX >= 0 ? 1 : 2;
            var group = (side * 2) + (box.Material == BoxMaterial.Building ? 0 : 1);
            var first = Math.Max(0, CellOf(box.MinZ));
            var last = Math.Min(count - 1, CellOf(box.MaxZ));
            for (var c = first; c <= last; c++)
            {
                (lists[c, group] ??= []).Add(b);
            }

            topY = Math.Min(topY, box.MinY);
        }

        cells = new CellGroup[count][];
        for (var c = 0; c < count; c++)
        {
            var groups = new List<CellGroup>();
            for (var g = 0; g < 6; g++)
            {
                if (lists[c, g] is { Count: > 0 } members)
                {
                    groups.Add(new CellGroup(
                        [.. members],
                        members.Min(i => boxes[i].MinX),
                        members.Max(i => boxes[i].MaxX),
                        members.Min(i => boxes[i].MinY),
                        members.Max(i => boxes[i].MaxY)));
                }
            }

            cells[c] = [.. groups];
        }

        // A coarse level of CoarseCells cells: the union bounds of each group kind, so rays running down the open street
        // (near the vanishing point) skip long empty stretches at once.
        coarse = new Bounds[(count + CoarseCells - 1) / CoarseCells][];
        for (var k = 0; k < coarse.Length; k++)
        {
            var union = new List<Bounds>();
            for (var g = 0; g < 6; g++)
            {
                var members = Enumerable.Range(k * CoarseCells, CoarseCells)
                    .Where(c => c < count && lists[c, g] is { Count: > 0 })
                    .SelectMany(c => lists[c, g])
                    .ToArray();
                if (members.Length > 0)
                {
                    union.Add(new Bounds(
                        members.Min(i => boxes[i].MinX),
                        members.Max(i => boxes[i].MaxX),
                        members.Min(i => boxes[i].MinY),
                        members.Max(i => boxes[i].MaxY)));
                }
            }

            coarse[k] = [.. union];
        }
    }

    public uint Seed { get; }

    public double GroundY { get; }

    public double LaneWidth { get; }

    public double CentreLineX { get; }

    public double RightLaneEdgeX { get; }

    public double LeftLaneEdgeX { get; }

    public double RightRoadEdgeX { get; }

    public double LeftRoadEdgeX { get; }

    public double RightSidewalkX { get; }

    public double LeftSidewalkX { get; }

    public double AsphaltGrey { get; }

    public double SidewalkGrey { get; }

    public double TileSize { get; }

    public double DashPeriod { get; }

    public double DashLength { get; }

    public double ParkingBayLength { get; }

    public double CrosswalkPeriod { get; }

    public double CrosswalkOffset { get; }

    public double SunX { get; }

    public double SunY { get; }

    public double SunZ { get; }

    public double Overcast { get; }

    /// <summary>Ambient light: the brightness of a surface facing away from the sun (default 0.62).</summary>
    public double Ambient { get; init; } = 0.62;

    /// <summary>Sun light added to a surface facing the sun head-on (default 0.5).</summary>
    public double Diffuse { get; init; } = 0.5;

    /// <summary>Whether the road is plain asphalt: no markings and a faint grain (default false).</summary>
    public bool PlainAsphalt { get; init; }

    public IReadOnlyList<SceneBox> Boxes => boxes;

    public ref readonly SceneBox Box(int index) => ref boxes[index];

    /// <summary>
    /// Casts the ray origin + t * direction (t &gt; 0). Returns t of the nearest hit, with the box index (-1 for the
    /// ground plane) and face; <see cref="double.PositiveInfinity"/> and -2 for the sky.
    /// </summary>
    public double Trace(double ox, double oy, double oz, double dx, double dy, double dz, out int hitBox, out BoxFace face)
    {
        hitBox = -2;
        face = BoxFace.None;
        var best = MaxDistance;
        if (dy > 0 && GroundY > oy)
        {
            // The ground is unbounded: a downward ray always meets it, however far (boxes may still come first).
            best = (GroundY - oy) / dy;
            hitBox = -1;
        }

        // Above every box nothing can be hit: the ray may stop there.
        var limit = best;
        if (dy < -1e-12)
        {
            limit = Min(limit, (topY - oy) / dy);
        }

        dx = AwayFromZero(dx);
        dy = AwayFromZero(dy);
        dz = AwayFromZero(dz);

        var idx = 1 / dx;
        var idy = 1 / dy;
        var idz = 1 / dz;
        var step = dz > 0 ? 1 : -1;
        var cell = CellOf(oz);
        var checkedCoarse = -1;
        while ((uint)cell < (uint)cells.Length)
        {
            var k = cell / CoarseCells;
            if (k != checkedCoarse)
            {
                checkedCoarse = k;
                var zIn = gridStart + ((k + (step > 0 ? 0 : 1)) * CoarseCells * CellLength);
                var zOut = gridStart + ((k + (step > 0 ? 1 : 0)) * CoarseCells * CellLength);
                if (!SegmentMeets(coarse[k], ox, oy, dx, dy, Max((zIn - oz) * idz, 0), Min((zOut - oz) * idz, Min(best, limit))))
                {
                    if (Min(best, limit) <= (zOut - oz) * idz)
                    {
                        break;
                    }

                    cell = step > 0 ? (k + 1) * CoarseCells : (k * CoarseCells) - 1;
                    continue;
                }
            }

            var zExit = gridStart + ((cell + (step > 0 ? 1 : 0)) * CellLength);
            var tExit = (zExit - oz) * idz;
            var zEnter = gridStart + ((cell + (step > 0 ? 0 : 1)) * CellLength);
            var t0 = Max((zEnter - oz) * idz, 0);
            var t1 = Min(tExit, Min(best, limit));
            var xa = ox + (dx * t0);
            var xb = ox + (dx * t1);
            var ya = oy + (dy * t0);
            var yb = oy + (dy * t1);
            var segMinX = Min(xa, xb);
            var segMaxX = Max(xa, xb);
            var segMinY = Min(ya, yb);
            var segMaxY = Max(ya, yb);
            foreach (var group in cells[cell])
            {
                if (segMaxX < group.MinX || segMinX > group.MaxX || segMaxY < group.MinY || segMinY > group.MaxY)
                {
                    continue;
                }

                foreach (var b in group.Boxes)
                {
                    var near = Intersect(boxes[b], ox, oy, oz, idx, idy, idz, out var nearFace);
                    if (near < best)
                    {
                        best = near;
                        hitBox = b;
                        face = nearFace;
                    }
                }
            }

            if (Min(best, limit) <= tExit)
            {
                break;
            }

            cell += step;
        }

        return hitBox == -2 ? double.PositiveInfinity : best;
    }

    /// <summary>
    /// Where the ray origin + t * direction enters <paramref name="box"/> (slab test; the direction given by its
    /// component reciprocals): t &gt; 0 and the face entered, or <see cref="double.PositiveInfinity"/> for a miss.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Intersect(in SceneBox box, double ox, double oy, double oz, double idx, double idy, double idz, out BoxFace face)
    {
        var tx0 = (box.MinX - ox) * idx;
        var tx1 = (box.MaxX - ox) * idx;
        var fx = BoxFace.NegativeX;
        if (tx0 > tx1)
        {
            (tx0, tx1) = (tx1, tx0);
            fx = BoxFace.PositiveX;
        }

        var ty0 = (box.MinY - oy) * idy;
        var ty1 = (box.MaxY - oy) * idy;
        var fy = BoxFace.NegativeY;
        if (ty0 > ty1)
        {
            (ty0, ty1) = (ty1, ty0);
            fy = BoxFace.PositiveY;
        }

        var tz0 = (box.MinZ - oz) * idz;
        var tz1 = (box.MaxZ - oz) * idz;
        var fz = BoxFace.NegativeZ;
        if (tz0 > tz1)
        {
            (tz0, tz1) = (tz1, tz0);
            fz = BoxFace.PositiveZ;
        }

        var near = tx0;
        face = fx;
        if (ty0 > near)
        {
            near = ty0;
            face = fy;
        }

        if (tz0 > near)
        {
            near = tz0;
            face = fz;
        }

        var far = Min(tx1, Min(ty1, tz1));
        return near <= far && near > 0 ? near : double.PositiveInfinity;
    }

    /// <summary>
    /// A car standing on the ground at <paramref name="z"/> (its back) to <paramref name="z"/> + length: body and cabin
    /// boxes with their paint. <paramref name="centreX"/> draws the car's centre x once its size is drawn.
    /// </summary>
    public static (SceneBox Body, SceneBox Cabin, double Length) Car(SplitMix rng, double groundY, double z, Func<SplitMix, double> centreX)
    {
        var length = rng.Uniform(3.8, 4.9);
        var width = rng.Uniform(1.65, 1.9);
        var bodyHeight = rng.Uniform(0.75, 0.95);
        var cabinHeight = rng.Uniform(0.45, 0.65);
        var centre = centreX(rng);
        var (r, g, b) = (rng.Next() % 6) switch
        {
            0 => (0.75, 0.1, 0.1),
            1 => (0.1, 0.2, 0.6),
            2 => (0.85, 0.85, 0.85),
            3 => (0.12, 0.12, 0.13),
            4 => (0.5, 0.52, 0.55),
            _ => (rng.Uniform(0.2, 0.9), rng.Uniform(0.2, 0.9), rng.Uniform(0.2, 0.9)),
        };
        var bottom = groundY - 0.18;
        var bodyTop = bottom - bodyHeight;
        var body = new SceneBox(
            centre - (width / 2), bodyTop, z, centre + (width / 2), bottom, z + length,
            BoxMaterial.CarBody, rng.NextUInt(), r, g, b, 0, 0, false);
        var cabinFront = z + (length * rng.Uniform(0.2, 0.3));
        var cabinBack = z + (length * rng.Uniform(0.7, 0.8));
        var cabin = new SceneBox(
            centre - (width / 2) + 0.12, bodyTop - cabinHeight, cabinFront, centre + (width / 2) - 0.12, bodyTop, cabinBack,
            BoxMaterial.CarCabin, rng.NextUInt(), r, g, b, 0, 0, false);
        return (body, cabin, length);
    }

    /// <summary>A ray direction component safe to take the reciprocal of: 1e-12 where it is (nearly) zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double AwayFromZero(double d) => Math.Abs(d) < 1e-12 ? 1e-12 : d;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Min(double a, double b) => a < b ? a : b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Max(double a, double b) => a > b ? a : b;

    private static bool SegmentMeets(Bounds[] groups, double ox, double oy, double dx, double dy, double t0, double t1)
    {
        var xa = ox + (dx * t0);
        var xb = ox + (dx * t1);
        var ya = oy + (dy * t0);
        var yb = oy + (dy * t1);
        var segMinX = Min(xa, xb);
        var segMaxX = Max(xa, xb);
        var segMinY = Min(ya, yb);
        var segMaxY = Max(ya, yb);
        foreach (var g in groups)
        {
            if (!(segMaxX < g.MinX || segMinX > g.MaxX || segMaxY < g.MinY || segMinY > g.MaxY))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The boxes of one cell that share a side and kind, with the bounds of their x and y extents.</summary>
    private sealed record CellGroup(int[] Boxes, double MinX, double MaxX, double MinY, double MaxY);

    /// <summary>Bounds of the x and y extents of a set of boxes.</summary>
    private readonly record struct Bounds(double MinX, double MaxX, double MinY, double MaxY);

    private int CellOf(double z) => (int)Math.Floor((z - gridStart) / CellLength);

    private static (double R, double G, double B) WallColour(SplitMix rng)
    {
        return (rng.Next() % 5) switch
        {
            0 => (rng.Uniform(0.55, 0.7), rng.Uniform(0.3, 0.4), rng.Uniform(0.22, 0.3)), // red brick
            1 => (rng.Uniform(0.7, 0.85), rng.Uniform(0.65, 0.78), rng.Uniform(0.5, 0.62)), // sandstone
            2 => (rng.Uniform(0.75, 0.9), rng.Uniform(0.75, 0.9), rng.Uniform(0.72, 0.86)), // white plaster
            3 => (rng.Uniform(0.45, 0.55), rng.Uniform(0.47, 0.57), rng.Uniform(0.5, 0.6)), // grey concrete
            _ => (rng.Uniform(0.6, 0.8), rng.Uniform(0.45, 0.6), rng.Uniform(0.3, 0.42)), // ochre
        };
    }

    private void AddBuildings(SplitMix rng, List<SceneBox> list, int side, double zStart, double zEnd)
    {
        var front = side > 0 ? RightSidewalkX : LeftSidewalkX;
        var z = zStart;
        while (z < zEnd)
        {
            if (rng.Chance(0.22))
            {
                z += rng.Uniform(3, 12); // a gap: alley or yard, the back row shows through
            }

            var length = rng.Uniform(8, 32);
            var setback = rng.Chance(0.6) ? 0 : rng.Uniform(0.5, 4);
            var depth = rng.Uniform(8, 14);
            var height = rng.Uniform(6, 24);
            var x0 = front + (side * setback);
            var x1 = x0 + (side * depth);
            var colour = WallColour(rng);
            list.Add(new SceneBox(
                Math.Min(x0, x1), GroundY - height, z, Math.Max(x0, x1), GroundY, z + length,
                BoxMaterial.Building, rng.NextUInt(), colour.R, colour.G, colour.B,
                rng.Uniform(2.9, 3.6), rng.Uniform(1.8, 3.2), rng.Chance(0.45)));
            z += length;
        }

        // A back row, taller and continuous, closes the gaps.
        z = zStart;
        var backFront = front + (side * 22);
        while (z < zEnd)
        {
            var length = rng.Uniform(15, 50);
            var height = rng.Uniform(10, 40);
            var x0 = backFront + (side * rng.Uniform(0, 6));
            var x1 = x0 + (side * 20);
            var colour = WallColour(rng);
            list.Add(new SceneBox(
                Math.Min(x0, x1), GroundY - height, z, Math.Max(x0, x1), GroundY, z + length,
                BoxMaterial.Building, rng.NextUInt(), colour.R, colour.G, colour.B,
                rng.Uniform(2.9, 3.6), rng.Uniform(1.8, 3.2), rng.Chance(0.45)));
            z += length;
        }
    }

    private void AddParked(SplitMix rng, List<SceneBox> list, int side, double zStart, double zEnd)
    {
        var laneInner = side > 0 ? RightLaneEdgeX : LeftLaneEdgeX;
        var laneOuter = side > 0 ? RightRoadEdgeX : LeftRoadEdgeX;
        var z = zStart + rng.Uniform(0, 8);
        while (z < zEnd)
        {
            if (rng.Chance(0.7))
            {
                var (body, cabin, length) = Car(rng, GroundY, z, r => ((laneInner + laneOuter) / 2) + (side * r.Uniform(-0.1, 0.25)));
                list.Add(body);
                list.Add(cabin);
                z += length + rng.Uniform(0.8, 4);
            }
            else
            {
                z += rng.Uniform(4, 14);
            }
        }
    }

    private void AddStreetFurniture(SplitMix rng, List<SceneBox> list, int side, double zStart, double zEnd)
    {
        var curb = side > 0 ? RightRoadEdgeX : LeftRoadEdgeX;
        var walk = side > 0 ? RightSidewalkX : LeftSidewalkX;
        var z = zStart + rng.Uniform(0, 10);
        while (z < zEnd)
        {
            var x = curb + (side * 0.45);
            list.Add(new SceneBox(
                x - 0.08, GroundY - rng.Uniform(4.5, 7), z, x + 0.08, GroundY, z + 0.16,
                BoxMaterial.Pole, rng.NextUInt(), 0.3, 0.31, 0.33, 0, 0, false));
            z += rng.Uniform(15, 35);
        }

        z = zStart + rng.Uniform(0, 20);
        while (z < zEnd)
        {
            var x = walk - (side * rng.Uniform(0.5, 1.2));
            var w = rng.Uniform(0.5, 0.9);
            var green = rng.Chance(0.5);
            list.Add(new SceneBox(
                x - (w / 2), GroundY - rng.Uniform(0.8, 1.2), z, x + (w / 2), GroundY, z + rng.Uniform(0.5, 0.9),
                BoxMaterial.Bin, rng.NextUInt(), green ? 0.15 : 0.35, green ? 0.35 : 0.35, green ? 0.18 : 0.38, 0, 0, false));
            z += rng.Uniform(8, 40);
        }
    }
}

using static Monodepth2.Data.Synthetic.ProceduralNoise;

namespace Monodepth2.Data.Synthetic;

/// <summary>
/// Procedural textures of the street (asphalt, markings, paving, brick or plaster facades with windows, cars, bins,
/// poles, sky) and a view-independent Lambertian sun, so a surface point has the same colour from every frame.
/// Footprints (pixel size on the surface, metres) band-limit every texture.
/// </summary>
internal static class StreetShader
{
    /// <summary>Colour of the ground at (x, z) with pixel footprints fx across and fz along the street.</summary>
    public static (double R, double G, double B) Ground(StreetLayout s, double x, double z, double fx, double fz)
    {
        var seed = s.Seed;
        var iso = Math.Sqrt(fx * fz);
        double r, g, b;
        if (x > s.LeftRoadEdgeX && x < s.RightRoadEdgeX)
        {
            var grain = Fbm(x, z, seed + 11, 3.0, 6, iso, 0.7);
            var patches = SmoothStep(0.55, 0.7, Fbm(x, z, seed + 12, 0.12, 3, iso));
            var (grainAmount, patchAmount) = s.PlainAsphalt ? (0.2, 0.04) : (1.6, 0.18);
            var grey = s.AsphaltGrey * (1 + (grainAmount * (grain - 0.5))) * (1 - (patchAmount * patches));
            if (s.PlainAsphalt)
            {
                var plain = Light(s, -s.SunY);
                return (grey * 0.98 * plain, grey * plain, grey * 1.03 * plain);
            }

            // Markings: dashed centre line, solid lane edges, parking bays, crosswalks.
            var dash = Lines(z, s.DashPeriod, s.DashLength / 2, fz);
            var paint = Band(x, s.CentreLineX, 0.06, fx) * dash;
            paint = Math.Max(paint, Band(x, s.RightLaneEdgeX, 0.05, fx));
            paint = Math.Max(paint, Band(x, s.LeftLaneEdgeX, 0.05, fx));
            if (x > s.RightLaneEdgeX || x < s.LeftLaneEdgeX)
            {
                paint = Math.Max(paint, Lines(z, s.ParkingBayLength, 0.05, fz) * 0.9);
            }

            var cw = z - s.CrosswalkOffset - (Math.Floor((z - s.CrosswalkOffset) / s.CrosswalkPeriod) * s.CrosswalkPeriod);
            var inCrosswalk = Band(cw, 2.5, 2, fz);
            if (inCrosswalk > 0 && x > s.LeftLaneEdgeX && x < s.RightLaneEdgeX)
            {
                paint = Math.Max(paint, inCrosswalk * Lines(x, 1.0, 0.25, fx, 0.5));
            }

            if (paint > 0)
            {
                var wear = 0.75 + (0.25 * Fbm(x, z, seed + 14, 1.5, 4, iso));
                grey = (grey * (1 - (paint * wear))) + (0.88 * paint * wear);
            }

            r = grey * 0.98;
            g = grey;
            b = grey * 1.03;
        }
        else if (x > s.LeftSidewalkX && x < s.RightSidewalkX)
        {
            var curbX = x > 0 ? s.RightRoadEdgeX : s.LeftRoadEdgeX;
            var curb = Band(x, curbX + (Math.Sign(x) * 0.12), 0.12, fx);
            var t = s.TileSize;
            var joints = Math.Max(Lines(x, t, 0.008, fx), Lines(z, t, 0.008, fz));
            var tileVar = (Unit((int)Math.Floor(x / t), (int)Math.Floor(z / t), seed + 21) - 0.5) * BandWeight(iso / t);
            var grain = Fbm(x, z, seed + 22, 4.0, 5, iso, 0.7);
            var grey = s.SidewalkGrey * (1 + (0.9 * (grain - 0.5)) + (0.2 * tileVar)) * (1 - (0.45 * joints));
            grey = (grey * (1 - curb)) + (curb * 0.72 * (0.85 + (0.2 * grain)));
            r = grey;
            g = grey * 0.99;
            b = grey * 0.96;
        }
        else
        {
            // Yards and alleys: gravel and grass.
            var grass = SmoothStep(0.4, 0.6, Fbm(x, z, seed + 31, 0.3, 3, iso));
            var grain = Fbm(x, z, seed + 32, 5.0, 5, iso, 0.7);
            var v = 0.95 + (1.2 * (grain - 0.5));
            r = ((0.45 * (1 - grass)) + (0.22 * grass)) * v;
            g = ((0.42 * (1 - grass)) + (0.38 * grass)) * v;
            b = ((0.38 * (1 - grass)) + (0.15 * grass)) * v;
        }

        var light = Light(s, -s.SunY);
        return (r * light, g * light, b * light);
    }

    /// <summary>Colour of a box face at world point (x, y, z) with footprints fa (along the face, horizontal) and fv (vertical).</summary>
    public static (double R, double G, double B) Box(StreetLayout s, in SceneBox box, BoxFace face, double x, double y, double z, double fa, double fv)
    {
        // Along-face horizontal coordinate u (metres from the face's start), height h above the box bottom.
        double u, uLength;
        switch (face)
        {
            case BoxFace.NegativeX:
            case BoxFace.PositiveX:
                u = z - box.MinZ;
                uLength = box.MaxZ - box.MinZ;
                break;
            default:
                u = x - box.MinX;
                uLength = box.MaxX - box.MinX;
                break;
        }

        var h = box.MaxY - y;
        var boxHeight = box.MaxY - box.MinY;
        var top = face is BoxFace.NegativeY or BoxFace.PositiveY;
        var iso = Math.Sqrt(fa * fv);
        var (r, g, b) = box.Material switch
        {
            BoxMaterial.Building => top ? Roof(box, x, z, iso) : Facade(box, u, uLength, h, boxHeight, fa, fv, iso),
            BoxMaterial.CarBody => CarBody(box, face, u, uLength, h, z, fa, fv, iso),
            BoxMaterial.CarCabin => top ? Paint(box, u, z, iso) : Glass(box, u, h, fa, fv, iso),
            BoxMaterial.Bin => Bin(box, u, h, fa, iso),
            _ => Metal(box, u, h, iso),
        };

        var (nx, ny, nz) = face switch
        {
            BoxFace.NegativeX => (-1.0, 0.0, 0.0),
            BoxFace.PositiveX => (1.0, 0.0, 0.0),
            BoxFace.NegativeY => (0.0, -1.0, 0.0),
            BoxFace.PositiveY => (0.0, 1.0, 0.0),
            BoxFace.NegativeZ => (0.0, 0.0, -1.0),
            _ => (0.0, 0.0, 1.0),
        };
        var light = Light(s, (nx * s.SunX) + (ny * s.SunY) + (nz * s.SunZ));
        if (!top && box.Material == BoxMaterial.Building)
        {
            // Soft contact darkening near the ground (fixed on the surface, not view dependent).
            light *= 0.8 + (0.2 * SmoothStep(0, 0.8, h));
        }

        return (r * light, g * light, b * light);
    }

    /// <summary>Lambertian light of a surface whose normal has cosine <paramref name="cosine"/> with the sun direction.</summary>
    private static double Light(StreetLayout s, double cosine) => s.Ambient + (s.Diffuse * Math.Max(0, cosine));

    /// <summary>Sky colour for a world ray direction (any length): gradient plus clouds at infinity.</summary>
    public static (double R, double G, double B) Sky(StreetLayout s, double dx, double dy, double dz, double pixelAngle)
    {
        var len = Math.Sqrt((dx * dx) + (dy * dy) + (dz * dz));
        var up = Math.Max(-dy / len, 0);
        var t = Math.Sqrt(up);
        var o = s.Overcast;
        var hr = 0.86 - (0.05 * o);
        var hg = 0.89 - (0.04 * o);
        var hb = 0.93 - (0.03 * o);
        var zr = (0.32 * (1 - o)) + (0.62 * o);
        var zg = (0.52 * (1 - o)) + (0.65 * o);
        var zb = (0.86 * (1 - o)) + (0.7 * o);
        var r = hr + ((zr - hr) * t);
        var g = hg + ((zg - hg) * t);
        var b = hb + ((zb - hb) * t);

        // Clouds painted on a plane at infinity: coordinates depend on the direction only.
        var k = 1 / (up + 0.08);
        var cx = dx / len * k;
        var cz = dz / len * k;
        var foot = pixelAngle * k * k;
        var n = Fbm(cx, cz, s.Seed + 41, 0.6, 6, foot);
        var cover = SmoothStep(0.62 - (0.3 * o), 0.85 - (0.2 * o), n);
        var shade = 0.72 + (0.5 * (n - 0.5));
        r += (shade * 0.97 - r) * cover;
        g += (shade * 0.97 - g) * cover;
        b += (shade - b) * cover;
        return (r, g, b);
    }

    private static (double, double, double) Facade(in SceneBox box, double u, double uLength, double h, double height, double fa, double fv, double iso)
    {
        var seed = box.Seed;
        double r = box.R, g = box.G, b = box.B;
        double wall;
        if (box.Brick)
        {
            const double brickH = 0.075;
            const double brickW = 0.24;
            var row = Math.Floor(h / brickH);
            var shift = ((long)row & 1) == 0 ? 0 : brickW / 2;
            var mortar = Math.Max(Lines(h, brickH, 0.006, fv), Lines(u + shift, brickW, 0.006, fa));
            var brickVar = (Unit((int)Math.Floor((u + shift) / brickW), (int)row, seed + 1) - 0.5) * BandWeight(iso / brickH);
            var grain = Fbm(u, h, seed + 2, 6.0, 4, iso);
            wall = ((0.82 + (0.4 * brickVar) + (0.5 * (grain - 0.5))) * (1 - mortar)) + (1.25 * mortar);
        }
        else
        {
            var grain = Fbm(u, h, seed + 3, 2.0, 7, iso, 0.65);
            var stains = Fbm(u * 1.5, h * 0.15, seed + 4, 0.8, 3, iso);
            wall = 0.9 + (1.0 * (grain - 0.5)) - (0.18 * SmoothStep(0.5, 0.8, stains));
            var panels = Lines(u, 1.5 * box.BayWidth, 0.01, fa, 0.25 * box.BayWidth);
            wall *= 1 - (0.25 * panels);
        }

        r *= wall;
        g *= wall;
        b *= wall;

        // Floor ledges.
        var ledge = Lines(h, box.FloorHeight, 0.1, fv);
        r += (0.85 - r) * ledge * 0.5;
        g += (0.83 - g) * ledge * 0.5;
        b += (0.8 - b) * ledge * 0.5;

        // Windows: one per bay per floor, clear of the ends and the parapet; shop windows on the ground floor.
        var floor = Math.Floor(h / box.FloorHeight);
        var bay = Math.Floor(u / box.BayWidth);
        var inner = u > 0.6 && u < uLength - 0.6 && h < height - 0.9;
        if (inner)
        {
            double win, frame;
            if (floor < 1)
            {
                var shopW = 0.4 * box.BayWidth;
                win = Lines(u, box.BayWidth, shopW, fa, box.BayWidth / 2) * Band(h, 1.45, 1.05, fv);
                frame = Lines(u, box.BayWidth, shopW + 0.08, fa, box.BayWidth / 2) * Band(h, 1.45, 1.13, fv);
            }
            else
            {
                var ww = 0.27 * box.BayWidth;
                win = Lines(u, box.BayWidth, ww, fa, box.BayWidth / 2) * Lines(h, box.FloorHeight, 0.72, fv, 0.9 + 0.72);
                frame = Lines(u, box.BayWidth, ww + 0.07, fa, box.BayWidth / 2) * Lines(h, box.FloorHeight, 0.79, fv, 0.9 + 0.72);
            }

            frame = Math.Max(0, frame - win);
            var lit = Unit((int)bay, (int)floor, seed + 5);
            var glass = 0.12 + (0.22 * lit) + (0.12 * (h - (floor * box.FloorHeight)) / box.FloorHeight);
            var sash = Lines(u, box.BayWidth, 0.025, fa, box.BayWidth / 2) * BandWeight(fa / 0.05);
            glass = (glass * (1 - sash)) + (0.75 * sash);
            var blinds = lit > 0.7 ? 0.15 * Lines(h, 0.05, 0.01, fv) : 0;
            glass += blinds;
            r = (r * (1 - win - frame)) + (glass * 0.85 * win) + (0.9 * frame);
            g = (g * (1 - win - frame)) + (glass * 0.95 * win) + (0.9 * frame);
            b = (b * (1 - win - frame)) + (glass * 1.1 * win) + (0.88 * frame);
        }

        return (r, g, b);
    }

    private static (double, double, double) Roof(in SceneBox box, double x, double z, double iso)
    {
        var grain = Fbm(x, z, box.Seed + 6, 2.0, 5, iso);
        var v = 0.3 + (0.3 * grain);
        return (v, v * 0.98, v * 0.95);
    }

    private static (double, double, double) Paint(in SceneBox box, double u, double z, double iso)
    {
        var dirt = Fbm(u, z, box.Seed + 7, 3.0, 4, iso);
        var v = 0.97 + (0.4 * (dirt - 0.5));
        return (box.R * v, box.G * v, box.B * v);
    }

    private static (double, double, double) CarBody(in SceneBox box, BoxFace face, double u, double uLength, double h, double z, double fa, double fv, double iso)
    {
        var (r, g, b) = Paint(box, u, z + h, iso);
        var height = box.MaxY - box.MinY;

        // Dark bumper strip along the bottom, a shoulder line near the top.
        var bumper = Band(h, 0.12, 0.12, fv);
        var shoulder = Band(h, height - 0.12, 0.015, fv);
        r = (r * (1 - bumper) * (1 - (0.5 * shoulder))) + (0.08 * bumper);
        g = (g * (1 - bumper) * (1 - (0.5 * shoulder))) + (0.08 * bumper);
        b = (b * (1 - bumper) * (1 - (0.5 * shoulder))) + (0.09 * bumper);
        if (face is BoxFace.NegativeZ or BoxFace.PositiveZ)
        {
            // Lights near both sides, a plate in the middle.
            var lampY = Band(h, height - 0.28, 0.09, fv);
            var lamps = (Band(u, 0.22, 0.14, fa) + Band(u, uLength - 0.22, 0.14, fa)) * lampY;
            var plate = Band(u, uLength / 2, 0.26, fa) * Band(h, 0.38, 0.06, fv);
            var rear = (face == BoxFace.NegativeZ) != box.Reversed;
            r = (r * (1 - lamps - plate)) + ((rear ? 0.8 : 0.95) * lamps) + (0.92 * plate);
            g = (g * (1 - lamps - plate)) + ((rear ? 0.08 : 0.93) * lamps) + (0.92 * plate);
            b = (b * (1 - lamps - plate)) + ((rear ? 0.06 : 0.8) * lamps) + (0.88 * plate);
        }
        else if (face is BoxFace.NegativeX or BoxFace.PositiveX)
        {
            // Wheels as dark discs, door seams.
            var du = Math.Min(Math.Abs(u - 0.8), Math.Abs(u - (uLength - 0.8)));
            var dh = h - 0.18;
            var d = Math.Sqrt((du * du) + (dh * dh));
            var wheel = Math.Clamp((0.36 - d) / Math.Max(iso, 1e-4) + 0.5, 0, 1);
            var hub = Math.Clamp((0.14 - d) / Math.Max(iso, 1e-4) + 0.5, 0, 1);
            var seam = Band(u, uLength * 0.5, 0.01, fa) * (h > 0.25 ? 1 : 0);
            r = (r * (1 - wheel) * (1 - (0.6 * seam))) + (0.05 * wheel) + (0.45 * hub);
            g = (g * (1 - wheel) * (1 - (0.6 * seam))) + (0.05 * wheel) + (0.45 * hub);
            b = (b * (1 - wheel) * (1 - (0.6 * seam))) + (0.06 * wheel) + (0.47 * hub);
        }

        return (r, g, b);
    }

    private static (double, double, double) Glass(in SceneBox box, double u, double h, double fa, double fv, double iso)
    {
        var height = box.MaxY - box.MinY;
        var pane = Band(h, height / 2, (height / 2) - 0.07, fv);
        var sky = 0.15 + (0.35 * h / height) + (0.1 * Fbm(u, h, box.Seed + 8, 1.5, 3, iso));
        var (r, g, b) = Paint(box, u, h, iso);
        r = (r * (1 - pane)) + (sky * 0.9 * pane);
        g = (g * (1 - pane)) + (sky * 0.95 * pane);
        b = (b * (1 - pane)) + (sky * 1.05 * pane);
        return (r, g, b);
    }

    private static (double, double, double) Bin(in SceneBox box, double u, double h, double fa, double iso)
    {
        var ribs = Lines(u, 0.12, 0.015, fa);
        var grain = Fbm(u, h, box.Seed + 9, 4.0, 4, iso);
        var v = (0.8 + (0.4 * grain)) * (1 - (0.35 * ribs));
        return (box.R * v, box.G * v, box.B * v);
    }

    private static (double, double, double) Metal(in SceneBox box, double u, double h, double iso)
    {
        var grain = Fbm(u, h, box.Seed + 10, 3.0, 4, iso);
        var v = 0.75 + (0.5 * grain);
        return (box.R * v, box.G * v, box.B * v);
    }
}

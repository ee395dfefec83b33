namespace Monodepth2.Data.Synthetic;

/// <summary>
/// A car driving down the street at its own constant speed: its body and cabin boxes where they are at frame 0, and its
/// velocity along the street (metres per frame; negative for oncoming cars). At frame f it sits
/// <see cref="Velocity"/> x f further along z; its texture moves with it.
/// </summary>
internal readonly record struct MovingCar(SceneBox Body, SceneBox Cabin, double Velocity)
{
    /// <summary>How far along z the car has driven since frame 0 at frame <paramref name="frame"/>, metres.</summary>
    public double ShiftAt(int frame) => Velocity * frame;

    /// <summary>
    /// The moving cars of one street (<see cref="SyntheticWorldOptions.MovingCars"/>): every third one ahead in the
    /// camera's lane and faster than the camera can drive (so it is never caught up with), the others oncoming in the
    /// other lane, spread so that they pass the camera during the sequence. Cars in one lane share a speed, so they never
    /// run into each other.
    /// </summary>
    public static MovingCar[] Place(StreetLayout layout, SplitMix rng, int count, double cruise, int frames)
    {
        var cars = new MovingCar[count];
        var ahead = cruise * rng.Uniform(1.4, 1.7);
        var oncoming = -cruise * rng.Uniform(0.6, 1.2);
        var oncomingLane = (layout.CentreLineX + layout.LeftLaneEdgeX) / 2;

        // Oncoming cars start where they meet the camera within the sequence, spaced at least 12 m apart.
        var meetRange = frames * (cruise - oncoming);
        var oncomingCount = count - ((count + 2) / 3);
        var oncomingZ = Enumerable.Range(0, oncomingCount)
            .Select(k => 25 + (meetRange * (k + rng.Uniform(0.1, 0.9)) / Math.Max(1, oncomingCount)))
            .ToArray();
        for (var k = 1; k < oncomingZ.Length; k++)
        {
            oncomingZ[k] = Math.Max(oncomingZ[k], oncomingZ[k - 1] + 8);
        }

        var nextAheadZ = rng.Uniform(12, 30);
        var nextOncoming = 0;
        for (var k = 0; k < count; k++)
        {
            if (k % 3 == 0)
            {
                var (body, cabin, length) = StreetLayout.Car(rng, layout.GroundY, nextAheadZ, r => r.Uniform(-0.3, 0.3));
                cars[k] = new MovingCar(body, cabin, ahead);
                nextAheadZ += length + rng.Uniform(25, 45);
            }
            else
            {
                var z = oncomingZ[nextOncoming++];
                var (body, cabin, _) = StreetLayout.Car(rng, layout.GroundY, z, r => oncomingLane + r.Uniform(-0.2, 0.2));
                cars[k] = new MovingCar(body with { Reversed = true }, cabin with { Reversed = true }, oncoming);
            }
        }

        return cars;
    }
}

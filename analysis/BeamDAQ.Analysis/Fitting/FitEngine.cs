using System.Diagnostics;
using BeamDAQ.Analysis.Fitting.Errors;
using BeamDAQ.Analysis.Fitting.Likelihood;
using BeamDAQ.Analysis.Fitting.Minimization;
using BeamDAQ.Analysis.Fitting.Results;
using BeamDAQ.Analysis.Fitting.Seeds;
using BeamDAQ.Analysis.Histograms;
using BeamDAQ.Analysis.Spectrum;

namespace BeamDAQ.Analysis.Fitting;

/// <summary>
/// One fit of one or more spectra with a shared single-electron response. Global parameters are
/// [response..., then per spectrum λ, pedestal, noise, (over-dispersion)]. The steps: seeds → window plans →
/// robust minimisation → re-plan at the minimum if it moved far from the seeds → Hesse (with calibration
/// propagation) → profile intervals → per-spectrum goodness of fit, cross-checks and warnings.
/// </summary>
internal sealed class FitEngine
{
    /// <summary>|ρ(λ, gain)| beyond which a free response cannot tell a larger gain from a larger λ.</summary>
    internal const double DegeneracyCorrelation = 0.95;
    private const double PValueWarning = 1e-3;

    private readonly IReadOnlyList<Histogram1D> _histograms;
    private readonly FitOptions _options;
    private readonly int _responseCount;
    private readonly int _perSpectrum;
    private readonly List<ParameterSpec> _specs = [];
    private readonly List<ParameterSource> _sources = [];
    private readonly List<string?> _calibrationNames = [];
    private readonly List<string> _notes = [];
    private readonly List<string> _log = [];

    public FitEngine(IReadOnlyList<Histogram1D> histograms, FitOptions options)
    {
        ArgumentNullException.ThrowIfNull(histograms);
        ArgumentNullException.ThrowIfNull(options);
        if (histograms.Count == 0) throw new ArgumentException("at least one histogram");
        _histograms = histograms;
        _options = options;
        _responseCount = options.Response.Parameters.Count;
        _perSpectrum = options.OverDispersion ? 4 : 3;
        var calibration = options.Calibration;
        if (calibration is not null)
        {
            if (calibration.ResponseName != options.Response.Name)
                throw new ArgumentException($"the calibration ({calibration.Source}) is of response '{calibration.ResponseName}', the fit uses '{options.Response.Name}'");
            foreach (var spec in options.Response.Parameters)
                if (!calibration.Has(spec.Name))
                    throw new ArgumentException($"the calibration ({calibration.Source}) has no value for response parameter '{spec.Name}'");
        }
    }

    private int SpectrumCount => _histograms.Count;
    private readonly List<int[]> _spectrumIndex = [];   // per spectrum: global index of λ, pedestal, noise, (η)
    private readonly List<string> _names = [];
    private readonly List<(int Spectrum, string Warning)> _spectrumWarnings = [];
    private double[] _seedValues = [];

    private int LambdaIndex(int s) => _spectrumIndex[s][0];
    private string Suffix(int s) => SpectrumCount == 1 ? "" : $"[{s}]";

    public (IReadOnlyList<FitResult> Spectra, SimultaneousFitResult Joint) Run()
    {
        var clock = Stopwatch.StartNew();
        var response = _options.Response;
        var calibration = _options.Calibration;

        // Layout and sources.
        foreach (var spec in response.Parameters)
        {
            bool calibrated = calibration is not null;
            AddParameter(spec, spec.Name, calibrated ? ParameterSource.Calibration : ParameterSource.Fitted, calibrated ? spec.Name : null);
        }
        var peaks = _histograms.Select(PedestalPeak.Find).ToArray();
        // A calibration knows pedestal and noise: a "pedestal" much wider than that, or far from it, is the bottom
        // of an electron continuum or the one-electron peak.
        bool knowsPedestal = calibration is not null && calibration.Has("noise") && calibration.Has("pedestal");
        double calibratedNoise = knowsPedestal ? calibration!.Value("noise") : double.PositiveInfinity;
        double calibratedPedestal = knowsPedestal ? calibration!.Value("pedestal") : double.NaN;
        bool[] pedestalVisible = peaks.Select(p => p.Found && p.Count >= _options.MinimumPedestalEntries
            && (!knowsPedestal || (p.Width < 3 * calibratedNoise && Math.Abs(p.Position - calibratedPedestal) < 5 * calibratedNoise))).ToArray();
        // Without a calibration, a spectrum that shows no pedestal shares pedestal and noise with the one that
        // shows it best (same detector, same electronics); free, they would trade off against λ.
        int reference = Enumerable.Range(0, SpectrumCount).Where(s => pedestalVisible[s]).DefaultIfEmpty(-1).MaxBy(s => s < 0 ? 0 : peaks[s].Count);
        var seeds = new SpectrumSeeds[SpectrumCount];
        var order = Enumerable.Range(0, SpectrumCount).OrderBy(s => s == reference ? 0 : 1).ThenBy(s => s).ToArray();
        var indices = new int[SpectrumCount][];
        foreach (int s in order)
        {
            var histogram = _histograms[s];
            var peak = peaks[s];
            bool fromCalibration = calibration is not null && calibration.Has("pedestal") && calibration.Has("noise") && !pedestalVisible[s];
            bool shared = calibration is null && SpectrumCount > 1 && !pedestalVisible[s] && reference >= 0;
            string why = peak.Found ? $"only {peak.Count:F0} pedestal entries" : "no pedestal peak";
            if (fromCalibration) _notes.Add($"spectrum{Suffix(s)}: {why}; pedestal and noise taken from the calibration");
            if (shared) _notes.Add($"spectrum{Suffix(s)}: {why}; pedestal and noise shared with spectrum{Suffix(reference)}");
            seeds[s] = SeedFinder.Find(histogram, response,
                calibration is null ? null : response.Parameters.Select(p => calibration.Value(p.Name)).ToArray(),
                fromCalibration ? calibration!.Value("pedestal") : shared ? seeds[reference].Pedestal : null,
                fromCalibration ? calibration!.Value("noise") : shared ? seeds[reference].Noise : null);
            foreach (string note in seeds[s].Notes) _notes.Add($"spectrum{Suffix(s)}: {note}");

            var index = new int[_perSpectrum];
            index[0] = AddParameter(new("lambda", ParameterKind.Positive, "mean number of electrons per bunch"), "lambda" + Suffix(s), ParameterSource.Fitted, null);
            if (shared)
            {
                index[1] = indices[reference][1];
                index[2] = indices[reference][2];
            }
            else
            {
                var source = fromCalibration ? ParameterSource.Calibration : ParameterSource.Fitted;
                index[1] = AddParameter(new("pedestal", ParameterKind.Real, "amplitude without electrons"), "pedestal" + Suffix(s), source, fromCalibration ? "pedestal" : null);
                index[2] = AddParameter(new("noise", ParameterKind.Positive, "Gaussian noise sigma"), "noise" + Suffix(s), source, fromCalibration ? "noise" : null);
            }
            if (_options.OverDispersion)
                index[3] = AddParameter(new("overdispersion", ParameterKind.NonNegative, "1/k of a negative-binomial multiplicity (0 = Poisson)"), "overdispersion" + Suffix(s), ParameterSource.Fitted, null);
            indices[s] = index;
        }
        _spectrumIndex.AddRange(indices);
        for (int s = 0; s < SpectrumCount; s++)
        {
            bool pedestalFree = _sources[_spectrumIndex[s][1]] == ParameterSource.Fitted && !pedestalVisible[s] && !(SpectrumCount > 1 && reference >= 0);
            if (pedestalFree && calibration is null)
                _spectrumWarnings.Add((s, "no pedestal in this spectrum: λ, the gain and the pedestal are degenerate; fix the response, pedestal and noise from a low-λ calibration (--fix-response-from) or fit it together with low-λ spectra"));
        }

        if (_histograms.Any(hist => hist.Entries - hist.Underflow - hist.Overflow < 10))
            return Failed(clock, "a spectrum has fewer than 10 entries inside its bins");

        var theta = new double[_specs.Count];
        int best = Enumerable.Range(0, SpectrumCount).MinBy(s => Math.Abs(Math.Log(seeds[s].Lambda / 1.5)));
        for (int k = 0; k < _responseCount; k++) theta[k] = seeds[best].Response[k];
        for (int s = 0; s < SpectrumCount; s++)
        {
            var index = _spectrumIndex[s];
            theta[index[0]] = seeds[s].Lambda;
            theta[index[1]] = seeds[s].Pedestal;
            theta[index[2]] = seeds[s].Noise;
            if (_options.OverDispersion) theta[index[3]] = 0.02;
        }

        _seedValues = (double[])theta.Clone();
        var free = _sources.Select(src => src == ParameterSource.Fitted).ToArray();
        var space = new ParameterSpace(_specs, free);
        var planWarnings = new string?[SpectrumCount];
        var terms = PlanTerms(theta, planWarnings);
        var deviance = new JointDeviance(terms, _specs.Count);
        var random = new Random(_options.RandomSeed);

        var outcome = RobustMinimizer.Minimize(new InternalObjective(deviance, space, theta), theta, random, _options.Restarts, _log, _options.QuasiNewtonOnly);
        int iterations = outcome.Iterations;
        // Re-plan the windows at the minimum when it is far from the seeds they were planned for.
        if (NeedsReplan(terms, outcome.Theta, theta))
        {
            _log.Add("re-planning the model windows at the minimum");
            terms = PlanTerms(outcome.Theta, planWarnings);
            deviance = new JointDeviance(terms, _specs.Count);
            var again = RobustMinimizer.Minimize(new InternalObjective(deviance, space, outcome.Theta), outcome.Theta, random, _options.Restarts, _log);
            iterations += again.Iterations;
            outcome = again;
        }
        if (!double.IsFinite(outcome.Deviance))
            return Failed(clock, "the deviance is not finite at any starting point");
        // A bad fit may be a local minimum: explore restarts from perturbed seeds and keep the best.
        if (_options.Restarts > 0 && BadlyFitted(terms, outcome.Theta))
        {
            _log.Add("the first minimum fits badly (p < 1e-3); exploring restarts from perturbed seeds");
            var explored = RobustMinimizer.Minimize(new InternalObjective(deviance, space, theta), theta, random, _options.Restarts, _log, _options.QuasiNewtonOnly, explore: true);
            iterations += explored.Iterations;
            if (explored.Converged && explored.Deviance < outcome.Deviance - 1e-3)
            {
                _notes.Add($"a restart found a lower minimum (deviance {explored.Deviance:F1} instead of {outcome.Deviance:F1})");
                outcome = explored;
            }
        }

        var thetaHat = outcome.Theta;
        var warnings = new List<string>();
        var status = outcome.Converged ? FitStatus.Converged : FitStatus.NotConverged;
        string reason = outcome.Converged ? $"converged ({outcome.Method}, EDM {outcome.Edm:G2})" : $"not converged: {outcome.Reason}";
        foreach (var w in planWarnings) if (w is not null) warnings.Add(w);
        deviance.Value(thetaHat);
        for (int s = 0; s < SpectrumCount; s++)
            if (terms[s].Model.NoiseBelowFloor)
                warnings.Add($"spectrum{Suffix(s)}: the noise ({thetaHat[_spectrumIndex[s][2]]:G3}) is below the model grid's design floor; the pedestal peak is under-resolved");

        // Hesse over free and calibration-fixed parameters.
        var freeIdx = space.FreeIndex;
        var calIdx = Enumerable.Range(0, _specs.Count).Where(i => _sources[i] == ParameterSource.Calibration).ToArray();
        var hesseIdx = freeIdx.Concat(calIdx).ToArray();
        var calCov = CalibrationCovariance(calIdx);
        var stepErrors = Hesse.FisherErrors(deviance, thetaHat, freeIdx).Concat(calIdx.Select((_, a) => Math.Sqrt(Math.Max(calCov[a, a], 0)))).ToArray();
        var h = Hesse.SecondDerivatives(deviance, thetaHat, hesseIdx, stepErrors, _specs);
        int nf = freeIdx.Length, nc = calIdx.Length;
        var hff = new double[nf * nf];
        for (int a = 0; a < nf; a++) for (int b = 0; b < nf; b++) hff[a * nf + b] = h[a * hesseIdx.Length + b];
        var hessianInverse = SmallMatrix.InverseSpd(hff, nf);
        bool hessianPositive = hessianInverse is not null;
        double[] hffInverse;
        if (hessianInverse is not null) hffInverse = hessianInverse;
        else
        {
            warnings.Add("the Hessian at the minimum is not positive definite; errors are from the expected (Fisher) information");
            var fisherOnly = new double[_specs.Count * _specs.Count];
            deviance.Evaluate(thetaHat, new double[_specs.Count], fisherOnly);
            var fff = new double[nf * nf];
            for (int a = 0; a < nf; a++) for (int b = 0; b < nf; b++) fff[a * nf + b] = fisherOnly[freeIdx[a] * _specs.Count + freeIdx[b]];
            hffInverse = SmallMatrix.InverseSpd(fff, nf) ?? new double[nf * nf];
        }
        // Global covariance: statistical 2H⁻¹ plus J C Jᵀ with J = −H_ff⁻¹ H_fc.
        int n = _specs.Count;
        var covariance = new double[n, n];
        var statistical = new double[n, n];
        for (int a = 0; a < nf; a++)
            for (int b = 0; b < nf; b++)
                statistical[freeIdx[a], freeIdx[b]] = covariance[freeIdx[a], freeIdx[b]] = 2 * hffInverse[a * nf + b];
        if (nc > 0)
        {
            var j = new double[nf, nc];
            for (int a = 0; a < nf; a++)
                for (int c = 0; c < nc; c++)
                {
                    double sum = 0;
                    for (int b = 0; b < nf; b++) sum += hffInverse[a * nf + b] * h[b * hesseIdx.Length + nf + c];
                    j[a, c] = -sum;
                }
            for (int a = 0; a < nf; a++)
                for (int b = 0; b < nf; b++)
                {
                    double sum = 0;
                    for (int c = 0; c < nc; c++) for (int d = 0; d < nc; d++) sum += j[a, c] * calCov[c, d] * j[b, d];
                    covariance[freeIdx[a], freeIdx[b]] += sum;
                }
            for (int a = 0; a < nf; a++)
                for (int c = 0; c < nc; c++)
                {
                    double sum = 0;
                    for (int d = 0; d < nc; d++) sum += j[a, d] * calCov[d, c];
                    covariance[freeIdx[a], calIdx[c]] = covariance[calIdx[c], freeIdx[a]] = sum;
                }
            for (int c = 0; c < nc; c++) for (int d = 0; d < nc; d++) covariance[calIdx[c], calIdx[d]] = calCov[c, d];
        }

        // Per-spectrum results.
        var spectra = new List<FitResult>();
        double chi2Total = 0;
        int groupsTotal = 0;
        double devianceTotal = 0;
        for (int s = 0; s < SpectrumCount; s++)
        {
            var result = SpectrumResult(s, terms[s], deviance, space, thetaHat, outcome.Deviance, covariance, statistical, status, reason,
                warnings, hessianPositive, outcome, iterations, clock);
            spectra.Add(result);
            chi2Total += result.Goodness.Chi2;
            groupsTotal += result.Goodness.MergedBins - 1;
            devianceTotal += result.Goodness.Deviance;
        }
        int ndfTotal = groupsTotal - nf;
        var names = _names.ToArray();
        var joint = new SimultaneousFitResult
        {
            Status = status,
            StatusReason = reason,
            Spectra = spectra,
            ParameterNames = names,
            Values = thetaHat,
            Covariance = ToJagged(covariance),
            Deviance = devianceTotal,
            Chi2 = chi2Total,
            Ndf = ndfTotal,
            PValue = ndfTotal > 0 ? GoodnessOfFitCalculator.UpperTail(ndfTotal, chi2Total) : double.NaN,
            Warnings = spectra.SelectMany(r => r.Warnings).Distinct().ToArray(),
            ElapsedMilliseconds = clock.Elapsed.TotalMilliseconds,
        };
        return (spectra, joint);
    }

    private int AddParameter(ParameterSpec spec, string name, ParameterSource source, string? calibrationName)
    {
        _specs.Add(spec);
        _names.Add(name);
        _sources.Add(source);
        _calibrationNames.Add(calibrationName);
        return _specs.Count - 1;
    }

    private int[] GlobalIndexOf(int s)
    {
        var map = new int[_perSpectrum + _responseCount];
        for (int k = 0; k < _perSpectrum; k++) map[k] = _spectrumIndex[s][k];
        for (int k = 0; k < _responseCount; k++) map[_perSpectrum + k] = k;
        return map;
    }

    private SpectrumTerm[] PlanTerms(double[] theta, string?[] warnings)
    {
        var terms = new SpectrumTerm[SpectrumCount];
        for (int s = 0; s < SpectrumCount; s++)
        {
            var map = GlobalIndexOf(s);
            var local = map.Select(i => theta[i]).ToArray();
            var h = _histograms[s];
            var model = SpectrumPlanner.Plan(h.LowEdge, h.BinWidth, h.BinCount, _options.Response, _options.OverDispersion, local, out var warning);
            warnings[s] = warning is null ? null : $"spectrum{Suffix(s)}: {warning}";
            terms[s] = new SpectrumTerm(h, model, map);
        }
        return terms;
    }

    private static bool BadlyFitted(SpectrumTerm[] terms, double[] theta)
    {
        foreach (var term in terms)
        {
            term.Gather(theta);
            term.Model.Evaluate(term.LocalParameters, term.Probabilities, default);
            var goodness = GoodnessOfFitCalculator.Compute(term.Counts, term.Probabilities, term.Total, term.LocalParameters.Length);
            if (goodness.PValue < PValueWarning) return true;
        }
        return false;
    }

    private bool NeedsReplan(SpectrumTerm[] terms, double[] fitted, double[] planned)
    {
        for (int s = 0; s < SpectrumCount; s++)
        {
            var index = _spectrumIndex[s];
            int l = index[0], pedestal = index[1], noise = index[2];
            if (fitted[l] > 1.3 * planned[l] + 0.3) return true;                           // the tail reaches further
            if (fitted[l] < 0.5 * planned[l] - 0.1) return true;                           // the window is needlessly long
            if (fitted[noise] < 0.8 * planned[noise]) return true;                         // narrower noise than planned for
            if (fitted[pedestal] < planned[pedestal] - 4 * planned[noise]) return true;   // pedestal moved into the pad
        }
        for (int k = 0; k < _responseCount; k++)
        {
            if (_specs[k].Kind != ParameterKind.Positive) continue;
            double ratio = fitted[k] / planned[k];
            if (ratio > 1.3 || ratio < 0.7) return true;
        }
        return false;
    }

    private double[,] CalibrationCovariance(int[] calIdx)
    {
        var c = new double[calIdx.Length, calIdx.Length];
        var calibration = _options.Calibration;
        if (calibration is null) return c;
        for (int a = 0; a < calIdx.Length; a++)
            for (int b = 0; b < calIdx.Length; b++)
                c[a, b] = calibration.CovarianceOf(_calibrationNames[calIdx[a]]!, _calibrationNames[calIdx[b]]!);
        return c;
    }

    private FitResult SpectrumResult(int s, SpectrumTerm term, JointDeviance deviance, ParameterSpace space, double[] thetaHat, double minimum,
        double[,] covariance, double[,] statistical, FitStatus status, string reason, List<string> sharedWarnings, bool hessianPositive,
        MinimizationOutcome outcome, int iterations, Stopwatch clock)
    {
        var model = term.Model;
        var map = term.GlobalIndex;
        var histogram = _histograms[s];
        var warnings = new List<string>(sharedWarnings);
        warnings.AddRange(_spectrumWarnings.Where(w => w.Spectrum == s).Select(w => w.Warning));
        var notes = new List<string>(_notes.Where(x => SpectrumCount == 1 || x.StartsWith($"spectrum{Suffix(s)}:", StringComparison.Ordinal)));
        notes.AddRange(_log.Select(entry => "minimiser: " + entry)); // fall-backs, restarts, re-planning: how the minimum was reached

        int lambdaIndex = LambdaIndex(s);
        double lambda = thetaHat[lambdaIndex];
        double varianceTotal = Math.Max(covariance[lambdaIndex, lambdaIndex], 0);
        double varianceStat = Math.Max(statistical[lambdaIndex, lambdaIndex], 0);
        double lambdaError = Math.Sqrt(varianceTotal);
        double statError = Math.Sqrt(varianceStat);
        double calibrationError = Math.Sqrt(Math.Max(varianceTotal - varianceStat, 0));

        // Profile-likelihood interval, widened by the calibration part.
        double lower = lambda - lambdaError, upper = lambda + lambdaError;
        bool intervalFound = false;
        if (_options.ProfileInterval && space.FreeIndex.Contains(lambdaIndex))
        {
            var interval = ProfileLikelihood.Find(deviance, space, thetaHat, minimum, lambdaIndex, statError, 0);
            lower = lambda - Math.Sqrt(Math.Pow(lambda - interval.Lower, 2) + calibrationError * calibrationError);
            upper = lambda + Math.Sqrt(Math.Pow(interval.Upper - lambda, 2) + calibrationError * calibrationError);
            lower = Math.Max(lower, 0);
            intervalFound = interval.LowerFound && interval.UpperFound;
            if (!interval.UpperFound) warnings.Add("the profile-likelihood interval's upper end was not found; it is an estimate");
            if (!interval.LowerFound && interval.Lower > 1e-12) warnings.Add("the profile-likelihood interval's lower end was not found; it is an estimate");
            deviance.Value(thetaHat); // leave the models at the minimum
        }

        var local = map.Select(i => thetaHat[i]).ToArray();
        var probabilities = new double[model.OutputLength];
        model.Evaluate(local, probabilities, default);
        int freeHere = map.Count(i => space.FreeIndex.Contains(i));
        var goodness = GoodnessOfFitCalculator.Compute(term.Counts, probabilities, term.Total, freeHere);

        // Parameters in model order.
        var parameters = new List<FittedParameter>();
        for (int k = 0; k < map.Length; k++)
        {
            int g = map[k];
            parameters.Add(new FittedParameter(_specs[g].Name, thetaHat[g], Math.Sqrt(Math.Max(covariance[g, g], 0)), _sources[g], _specs[g].Description));
        }
        var localCovariance = map.Select(a => map.Select(b => covariance[a, b]).ToArray()).ToArray();
        double pedestal = local[SpectrumModel.PedestalIndex], noise = local[SpectrumModel.NoiseIndex];
        var responseParameters = local[model.ResponseOffset..];

        // Cross-check 1: zero fraction.
        double cut = _options.PedestalCut ?? pedestal + _options.PedestalCutSigma * noise;
        long below = SeedFinder.CountBelow(histogram, cut, out double edge);
        int binsBelow = (int)Math.Round((edge - histogram.LowEdge) / histogram.BinWidth);
        double modelBelow = probabilities[0];
        for (int i = 0; i < binsBelow; i++) modelBelow += probabilities[i + 1];
        double? lambdaZero = null, lambdaZeroError = null, lambdaZeroModel = modelBelow > 0 ? -Math.Log(modelBelow) : null;
        bool zeroDisagrees = false;
        if (below > 0 && below < histogram.Entries)
        {
            double p0 = (double)below / histogram.Entries;
            lambdaZero = -Math.Log(p0);
            lambdaZeroError = Math.Sqrt((1 - p0) / (histogram.Entries * p0));
            if (lambdaZeroModel is double predicted && Math.Abs(lambdaZero.Value - predicted) > 3 * Math.Sqrt(lambdaZeroError.Value * lambdaZeroError.Value + lambdaError * lambdaError))
            {
                zeroDisagrees = true;
                warnings.Add($"zero fraction λ0 = {lambdaZero:G4} ± {lambdaZeroError:G2} disagrees with the model's {predicted:G4} (same cut at {edge:G4}) beyond 3σ");
            }
        }
        else if (below == 0)
        {
            notes.Add($"no bunch below the pedestal cut {edge:G4}: λ0 is undefined (λ > {Math.Log(histogram.Entries):F1} at 68 % would be expected)");
        }
        var zero = new ZeroFractionCheck(edge, below, histogram.Entries, lambdaZero, lambdaZeroError, lambdaZeroModel, zeroDisagrees);

        // Cross-check 2: mean method.
        MeanMethodCheck? meanCheck = null;
        var response = _options.Response;
        double singleMean = response.Moments(responseParameters).Mean;
        if (double.IsFinite(singleMean) && singleMean > 0 && histogram.FiniteEntries > 1)
        {
            double mean = histogram.Mean;
            double lambdaMean = (mean - pedestal) / singleMean;
            // Error: sample mean, pedestal, and the response mean through the response covariance.
            double varMean = histogram.Variance / histogram.FiniteEntries / (singleMean * singleMean);
            int pedestalGlobal = _spectrumIndex[s][1];
            double varPedestal = Math.Max(covariance[pedestalGlobal, pedestalGlobal], 0) / (singleMean * singleMean);
            var dm = new double[_responseCount];
            for (int k = 0; k < _responseCount; k++)
            {
                var shifted = (double[])responseParameters.Clone();
                double step = 1e-5 * Math.Max(Math.Abs(shifted[k]), 1e-9);
                shifted[k] += step;
                double up = response.Moments(shifted).Mean;
                shifted[k] -= 2 * step;
                double down = response.Moments(shifted).Mean;
                dm[k] = (up - down) / (2 * step);
            }
            double varSingle = 0;
            for (int a = 0; a < _responseCount; a++) for (int b = 0; b < _responseCount; b++) varSingle += dm[a] * covariance[a, b] * dm[b];
            double varResponse = lambdaMean * lambdaMean * Math.Max(varSingle, 0) / (singleMean * singleMean);
            double error = Math.Sqrt(varMean + varPedestal + varResponse);
            // The response error is shared with the fitted λ, so compare with the independent parts only.
            bool disagrees = Math.Abs(lambdaMean - lambda) > 3 * Math.Sqrt(varMean + varPedestal + statError * statError);
            if (disagrees)
                warnings.Add($"mean method λ = {lambdaMean:G4} ± {error:G2} disagrees with the fit's {lambda:G4} ± {lambdaError:G2} beyond 3σ");
            meanCheck = new MeanMethodCheck(mean, singleMean, lambdaMean, error, disagrees);
        }

        // Warnings about the fit itself.
        if (goodness.PValue < PValueWarning)
            warnings.Add($"χ² = {goodness.Chi2:F1} for {goodness.Ndf} degrees of freedom: p = {goodness.PValue:G2} < {PValueWarning:G1}");
        if (lambda < 1e-4)
            warnings.Add($"λ = {lambda:G3} is at its lower limit: no signal in this spectrum");
        foreach (int g in map.Where(g => space.FreeIndex.Contains(g) && g != lambdaIndex))
        {
            // A positive parameter a thousand times below its seed has run to its bound (a width to zero).
            if (_specs[g].Kind == ParameterKind.Positive && thetaHat[g] < 1e-3 * _seedValues[g])
                warnings.Add($"{_names[g]} = {thetaHat[g]:G3} ran to its lower limit (seed {_seedValues[g]:G3})");
            if (_specs[g].Kind == ParameterKind.NonNegative && thetaHat[g] <= 0)
                notes.Add($"{_names[g]} is at its bound 0: no over-dispersion, the multiplicity is Poisson");
        }
        int gainLocal = model.ResponseOffset + response.GainIndex;
        int gainGlobal = map[gainLocal];
        if (space.FreeIndex.Contains(gainGlobal))
        {
            double sl = covariance[lambdaIndex, lambdaIndex], sg = covariance[gainGlobal, gainGlobal];
            double rho = sl > 0 && sg > 0 ? covariance[lambdaIndex, gainGlobal] / Math.Sqrt(sl * sg) : 0;
            if (Math.Abs(rho) > DegeneracyCorrelation)
                warnings.Add($"λ and the gain are degenerate (correlation {rho:F3}): fix the response from a low-λ calibration (--fix-response-from)");
        }

        OverDispersionTest? overDispersion = null;
        if (_options.OverDispersion)
        {
            int etaIndex = _spectrumIndex[s][3];
            var poissonTheta = (double[])thetaHat.Clone();
            poissonTheta[etaIndex] = 0;
            var poissonFree = Enumerable.Range(0, _specs.Count).Select(i => space.FreeIndex.Contains(i) && i != etaIndex).ToArray();
            var poissonSpace = new ParameterSpace(_specs, poissonFree);
            var poisson = LevenbergMarquardt.Minimize(new InternalObjective(deviance, poissonSpace, poissonTheta), poissonSpace.ToInternal(poissonTheta));
            double reduction = Math.Max(poisson.Deviance - minimum, 0);
            overDispersion = new OverDispersionTest(reduction, Math.Sqrt(reduction));
            deviance.Value(thetaHat);
            model.Evaluate(local, probabilities, default);
            if (overDispersion.Significance > 3)
                notes.Add($"the multiplicity is over-dispersed: 1/k = {thetaHat[etaIndex]:G3}, {overDispersion.Significance:F1}σ against Poisson");
        }

        double[]? expected = null;
        double[][]? components = null;
        if (_options.IncludeSpectrum)
        {
            expected = probabilities[1..^1].Select(p => p * term.Total).ToArray();
            int maxN = ComponentCount(lambda);
            components = model.Components(local, maxN).Select(c => c.Select(p => p * term.Total).ToArray()).ToArray();
        }

        string modelName = response.Name + (_options.OverDispersion ? "+negative-binomial" : "");
        return new FitResult
        {
            Status = status,
            StatusReason = reason,
            Model = modelName,
            ResponseName = response.Name,
            AmplitudeUnit = _options.AmplitudeUnit,
            Lambda = lambda,
            LambdaError = lambdaError,
            LambdaErrorStatistical = statError,
            LambdaErrorCalibration = calibrationError,
            LambdaLower = lower,
            LambdaUpper = upper,
            LambdaIntervalFound = intervalFound,
            Parameters = parameters,
            Covariance = localCovariance,
            GainIndex = gainLocal,
            GainUnit = response.GainUnit(_options.AmplitudeUnit),
            ZeroFraction = zero,
            MeanMethod = meanCheck,
            Goodness = goodness,
            OverDispersion = overDispersion,
            Events = histogram.Entries,
            Warnings = warnings.Distinct().ToArray(),
            Notes = notes.Distinct().ToArray(),
            Minimizer = outcome.Method,
            Iterations = iterations,
            Evaluations = deviance.Evaluations,
            ElapsedMilliseconds = clock.Elapsed.TotalMilliseconds,
            Histogram = _options.IncludeSpectrum ? histogram.ToDto() : null,
            Expected = expected,
            Components = components,
        };
    }

    private static int ComponentCount(double lambda)
    {
        // Enough multiplicities to hold all but 1e−4 of the probability, at most 40.
        double p = Math.Exp(-lambda), cumulative = p;
        int n = 0;
        while (cumulative < 1 - 1e-4 && n < 40) { n++; p *= lambda / n; cumulative += p; }
        return Math.Max(n, 3);
    }

    private (IReadOnlyList<FitResult>, SimultaneousFitResult) Failed(Stopwatch clock, string reason)
    {
        var spectra = _histograms.Select((h, s) => new FitResult
        {
            Status = FitStatus.Failed,
            StatusReason = reason,
            Model = _options.Response.Name,
            ResponseName = _options.Response.Name,
            AmplitudeUnit = _options.AmplitudeUnit,
            Lambda = double.NaN,
            LambdaError = double.NaN,
            LambdaErrorStatistical = double.NaN,
            LambdaErrorCalibration = double.NaN,
            LambdaLower = double.NaN,
            LambdaUpper = double.NaN,
            Parameters = [],
            Covariance = [],
            GainIndex = 0,
            ZeroFraction = new ZeroFractionCheck(double.NaN, 0, h.Entries, null, null, null, false),
            Goodness = new GoodnessOfFit(double.NaN, h.BinCount + 2, double.NaN, 0, 0, double.NaN),
            Events = h.Entries,
            Warnings = [reason],
            Notes = _notes.ToArray(),
            ElapsedMilliseconds = clock.Elapsed.TotalMilliseconds,
        }).ToArray();
        var joint = new SimultaneousFitResult
        {
            Status = FitStatus.Failed,
            StatusReason = reason,
            Spectra = spectra,
            ParameterNames = [],
            Values = [],
            Covariance = [],
            Deviance = double.NaN,
            Chi2 = double.NaN,
            Ndf = 0,
            PValue = double.NaN,
            Warnings = [reason],
            ElapsedMilliseconds = clock.Elapsed.TotalMilliseconds,
        };
        return (spectra, joint);
    }

    private static double[][] ToJagged(double[,] m)
    {
        int n = m.GetLength(0);
        var r = new double[n][];
        for (int i = 0; i < n; i++)
        {
            r[i] = new double[n];
            for (int j = 0; j < n; j++) r[i][j] = m[i, j];
        }
        return r;
    }
}

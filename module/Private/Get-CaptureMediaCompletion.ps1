function Get-CaptureMediaCompletion {
    <#
    .SYNOPSIS
    Tab completion for New-CaptureMedia's -MediaSize and -BootImage (registered by the root module).

    .DESCRIPTION
    -MediaSize: the wizard's presets (Size650MB, Size4GB, Size8GB, SizeUnlimited).
    -BootImage: with -DistributionPoint already typed (a path, not a variable), the package ids
    in its content library, read from the PkgLib\<PackageID>.INI file names only, so that it is
    quick even over a WAN link; at most 100 are offered. Without -DistributionPoint: folders and
    .wim files, as the file system completes them.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.CompletionResult])]
    param(
        [Parameter(Mandatory)]
        [ValidateSet('MediaSize', 'BootImage')]
        [string] $ParameterName,

        [AllowEmptyString()]
        [string] $WordToComplete,

        [AllowNull()]
        [System.Collections.IDictionary] $FakeBoundParameters
    )

    $word = $WordToComplete.Trim('''', '"')
    if ($ParameterName -eq 'MediaSize') {
        $presets = [ordered]@{
            Size650MB     = 'CD: 681,574,400 bytes'
            Size4GB       = 'single-layer DVD: 4,700,372,992 bytes'
            Size8GB       = 'dual-layer DVD: 8,543,666,176 bytes'
            SizeUnlimited = 'one ISO, no size limit (the default)'
        }
        foreach ($name in $presets.Keys) {
            if ($name -like ($word + '*')) {
                New-Object -TypeName System.Management.Automation.CompletionResult -ArgumentList $name, $name, 'ParameterValue', $presets[$name]
            }
        }
        return
    }

    $roots = @()
    if ($null -ne $FakeBoundParameters -and $FakeBoundParameters.Contains('DistributionPoint')) {
        $roots = @($FakeBoundParameters['DistributionPoint'] | Where-Object { $_ -is [string] })
    }
    if ($roots.Count -gt 0) {
        $offered = 0
        foreach ($root in $roots) {
            $pkgLib = [System.IO.Path]::Combine($root, 'PkgLib')
            $files = @()
            try {
                $files = [System.IO.Directory]::GetFiles($pkgLib, ($word + '*.INI'))
            }
            catch {
                continue
            }
            foreach ($file in ($files | Sort-Object)) {
                if ($offered -ge 100) { return }
                $id = [System.IO.Path]::GetFileNameWithoutExtension($file).ToUpperInvariant()
                New-Object -TypeName System.Management.Automation.CompletionResult -ArgumentList $id, $id, 'ParameterValue', ('package {0} in {1}' -f $id, $root)
                $offered++
            }
        }
        return
    }

    foreach ($match in @([System.Management.Automation.CompletionCompleters]::CompleteFilename($WordToComplete))) {
        $isWim = $match.ListItemText -like '*.wim'
        $isFolder = $match.ResultType -eq [System.Management.Automation.CompletionResultType]::ProviderContainer
        if ($isWim -or $isFolder) { $match }
    }
}

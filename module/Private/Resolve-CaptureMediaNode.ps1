function Resolve-CaptureMediaNode {
    <#
    .SYNOPSIS
    Finds the node executable that runs the capture-media core and checks that it is Node.js 20 or later.

    .DESCRIPTION
    Uses $env:CAPTUREMEDIA_NODE when set, otherwise the first 'node' application on PATH. Runs
    '<node> --version' and refuses anything older than 20 with a terminating error attributed to
    the public command: FullyQualifiedErrorId NodeNotFound (no node, or it does not run) or
    NodeTooOld (it runs but reports a version below 20).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)]
        [System.Management.Automation.PSCmdlet] $Caller
    )

    $minimumMajor = 20
    $node = $env:CAPTUREMEDIA_NODE
    if ([string]::IsNullOrEmpty($node)) {
        $command = Get-Command -Name 'node' -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        if ($null -eq $command) {
            $message = 'Node.js {0} or later is needed to run the capture-media core, but no node was found on PATH. Install Node.js {0}+ or set $env:CAPTUREMEDIA_NODE to the full path of node.' -f $minimumMajor
            $Caller.ThrowTerminatingError((New-CaptureMediaErrorRecord -Id 'NodeNotFound' -Category 'ObjectNotFound' -Message $message -Target 'node'))
        }
        $node = $command.Source
        if ([string]::IsNullOrEmpty($node)) { $node = $command.Path }
    }
    elseif (-not [IO.File]::Exists($node)) {
        $message = '$env:CAPTUREMEDIA_NODE is set to ''{0}'', which is not a file. Point it at node (Node.js {1} or later) or remove it to use node from PATH.' -f $node, $minimumMajor
        $Caller.ThrowTerminatingError((New-CaptureMediaErrorRecord -Id 'NodeNotFound' -Category 'ObjectNotFound' -Message $message -Target $node))
    }

    $versionText = $null
    try {
        $versionText = (& $node '--version' 2>$null | Select-Object -First 1)
    }
    catch {
        $versionText = $null
    }
    $match = $null
    if ($null -ne $versionText) {
        $match = [regex]::Match([string]$versionText, '^\s*v?(\d+)\.(\d+)\.(\d+)')
    }
    if ($null -eq $match -or -not $match.Success) {
        $message = 'Could not run ''{0} --version'' (output: ''{1}''). Node.js {2} or later is needed; set $env:CAPTUREMEDIA_NODE to a working node.' -f $node, $versionText, $minimumMajor
        $Caller.ThrowTerminatingError((New-CaptureMediaErrorRecord -Id 'NodeNotFound' -Category 'ObjectNotFound' -Message $message -Target $node))
    }
    if ([int]$match.Groups[1].Value -lt $minimumMajor) {
        $message = 'Node.js {0} or later is needed to run the capture-media core, but ''{1}'' is {2}. Install a newer Node.js or set $env:CAPTUREMEDIA_NODE to one.' -f $minimumMajor, $node, ([string]$versionText).Trim()
        $Caller.ThrowTerminatingError((New-CaptureMediaErrorRecord -Id 'NodeTooOld' -Category 'NotInstalled' -Message $message -Target $node))
    }
    $node
}

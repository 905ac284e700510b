function Resolve-CaptureMediaDistributionPoint {
    <#
    .SYNOPSIS
    Turns -DistributionPoint values (content library paths, or ConfigMgr distribution point objects) into content library roots.

    .DESCRIPTION
    A string is a content library root (\\dp01\SCCMContentLib$, or a local or mounted folder) and
    is resolved against the PowerShell location. An object is a distribution point as
    ConfigMgr's cmdlets return it, and its content library is the SCCMContentLib$ share of its
    server, \\<server>\SCCMContentLib$. The server name is read from, in this order:
      ServerName     (SMS_DistributionPointInfo, Get-CMDistributionPointInfo: 'DP01.contoso.com')
      NetworkOSPath  (SMS_SCI_SysResUse, Get-CMDistributionPoint: '\\DP01.contoso.com')
      NALPath        (both: '["Display=\\DP01.contoso.com\"]MSWNET:["SMS_SITE=PS1"]\\DP01.contoso.com\')
    An object with none of them is an InvalidParameter error naming the properties looked for.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)]
        [System.Management.Automation.PSCmdlet] $Caller,

        [Parameter(Mandatory)]
        [AllowEmptyCollection()]
        [object[]] $DistributionPoint
    )

    foreach ($item in $DistributionPoint) {
        if ($null -eq $item) { continue }
        $value = $item
        if ($value -is [string]) {
            Resolve-CaptureMediaPath -Caller $Caller -Path @($value)
            continue
        }

        $server = $null
        $serverName = Get-CaptureMediaEventValue -InputObject $value -Name 'ServerName' -Default $null
        $networkPath = Get-CaptureMediaEventValue -InputObject $value -Name 'NetworkOSPath' -Default $null
        $nalPath = Get-CaptureMediaEventValue -InputObject $value -Name 'NALPath' -Default $null
        if (-not [string]::IsNullOrWhiteSpace([string]$serverName)) {
            $server = ([string]$serverName).Trim().TrimStart('\')
        }
        elseif (-not [string]::IsNullOrWhiteSpace([string]$networkPath)) {
            $server = (([string]$networkPath).Trim().TrimStart('\') -split '\\')[0]
        }
        elseif (-not [string]::IsNullOrWhiteSpace([string]$nalPath)) {
            $match = [regex]::Match([string]$nalPath, '\\\\([^\\"\]\[]+)')
            if ($match.Success) { $server = $match.Groups[1].Value }
        }
        if ([string]::IsNullOrEmpty($server)) {
            $message = 'The -DistributionPoint object ''{0}'' has no ServerName, NetworkOSPath or NALPath property to find its server from. Pass the content library path instead, such as \\dp01\SCCMContentLib$.' -f $value
            Stop-CaptureMediaCommand -Caller $Caller -ErrorRecord (New-CaptureMediaErrorRecord -Id 'InvalidParameter' -Category 'InvalidArgument' -Message $message -Target ([string]$value))
            return
        }
        $share = '\\{0}\SCCMContentLib$' -f $server
        $Caller.WriteVerbose(('Distribution point {0}: content library {1}' -f $server, $share))
        $share
    }
}

function Resolve-CaptureMediaRuntime {
    <#
    .SYNOPSIS
    Finds node and the core for Invoke-CaptureMediaCore, as a command of its own.

    .DESCRIPTION
    Resolve-CaptureMediaNode and Resolve-CaptureMediaCli end the command they are given with
    ThrowTerminatingError. Given the public command, that error would skip every try/catch in
    between and end only its statement, so -ErrorAction Stop could not stop the script. Given
    this function instead, their error ends this function, and Invoke-CaptureMediaCore catches
    it and reports it like any other failure (Stop-CaptureMediaCommand).
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param()

    $node = Resolve-CaptureMediaNode -Caller $PSCmdlet
    $cli = Resolve-CaptureMediaCli -Caller $PSCmdlet
    @{ Node = $node; Cli = $cli }
}

function Stop-CaptureMediaCommand {
    <#
    .SYNOPSIS
    Reports a failure of a public command so that scripts can stop on it, the way scripters expect.

    .DESCRIPTION
    $PSCmdlet.ThrowTerminatingError in an advanced function ends only the statement: a script
    that passed -ErrorAction Stop would carry on to its next line and exit 0. So:

      - when the caller asked to stop on errors (-ErrorAction Stop on the command, or
        $ErrorActionPreference = 'Stop' where it was called), or -ScriptTerminating is given,
        the record is thrown: the script stops (exit 1 under 'pwsh -File') unless a try/catch
        or trap handles it;
      - a failure after some media were written (-NonTerminating: one drive of several failed)
        is written with WriteError, so the media already output stay in the pipeline;
      - any other failure ends the statement with ThrowTerminatingError: try/catch catches it,
        and without one the script goes on, as with any cmdlet's terminating error.

    In every case FullyQualifiedErrorId is '<id>,<command>' and Exception.Data['ExitCode'] holds
    the exit code (New-CaptureMediaErrorRecord). The throw path never returns; the others return
    to the caller, which must return too.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [System.Management.Automation.PSCmdlet] $Caller,

        [Parameter(Mandatory)]
        [System.Management.Automation.ErrorRecord] $ErrorRecord,

        [switch] $NonTerminating,

        # The failure must end the script whatever the preference (a confirmation nobody can give).
        [switch] $ScriptTerminating
    )

    $commandName = $Caller.MyInvocation.MyCommand.Name
    $bound = $Caller.MyInvocation.BoundParameters
    $action = $null
    if ($bound.ContainsKey('ErrorAction')) {
        $action = [string]$bound['ErrorAction']
    }
    else {
        $action = [string]$Caller.SessionState.PSVariable.GetValue('ErrorActionPreference')
    }

    # A fresh record from the bare id: a record that was already thrown once (by a helper through
    # ThrowTerminatingError) has the command in its id already, and would get it twice.
    $id = [string]$ErrorRecord.Exception.Data['ErrorId']
    if ([string]::IsNullOrEmpty($id)) { $id = ($ErrorRecord.FullyQualifiedErrorId -split ',')[0] }

    if ($ScriptTerminating -or $action -eq 'Stop') {
        # Point the error at the user's call of the command, not at the throw below, as a cmdlet's
        # error does; with that invocation PowerShell shows the id as '<id>,<command>' itself. The
        # setter is internal: where it is missing, the command goes into the id here instead.
        $positioned = $false
        $record = New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $ErrorRecord.Exception, $id, $ErrorRecord.CategoryInfo.Category, $ErrorRecord.TargetObject
        try {
            $setter = [System.Management.Automation.ErrorRecord].GetMethod('SetInvocationInfo', [System.Reflection.BindingFlags]'NonPublic, Instance')
            if ($null -ne $setter) {
                [void]$setter.Invoke($record, @($Caller.MyInvocation))
                $positioned = $record.FullyQualifiedErrorId -eq ('{0},{1}' -f $id, $commandName)
            }
        }
        catch {
            $Caller.WriteDebug(('Could not set the error position: {0}' -f $_.Exception.Message))
        }
        if (-not $positioned) {
            $record = New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $ErrorRecord.Exception, ('{0},{1}' -f $id, $commandName), $ErrorRecord.CategoryInfo.Category, $ErrorRecord.TargetObject
        }
        $record.CategoryInfo.Activity = $commandName
        throw $record
    }
    $record = New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $ErrorRecord.Exception, $id, $ErrorRecord.CategoryInfo.Category, $ErrorRecord.TargetObject
    if ($NonTerminating) {
        $Caller.WriteError($record)
        return
    }
    $Caller.ThrowTerminatingError($record)
}

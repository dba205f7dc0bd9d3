// One role assignment at the scope of the resource group this module is deployed to.
targetScope = 'resourceGroup'

@description('Object (principal) id of the managed identity.')
param principalId string

@description('Full resource id of the role definition (/subscriptions/{id}/providers/Microsoft.Authorization/roleDefinitions/{guid}).')
param roleDefinitionId string

@description('Why the assignment exists, shown in the portal.')
param assignmentDescription string

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, principalId, roleDefinitionId)
  properties: {
    principalId: principalId
    // A new managed identity may not have replicated yet; with the type given, ARM does not look it up first.
    principalType: 'ServicePrincipal'
    roleDefinitionId: roleDefinitionId
    description: assignmentDescription
  }
}

output roleAssignmentId string = assignment.id

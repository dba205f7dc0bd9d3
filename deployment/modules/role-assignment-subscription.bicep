// One role assignment at the scope of the subscription this module is deployed to.
targetScope = 'subscription'

@description('Object (principal) id of the managed identity.')
param principalId string

@description('Full resource id of the role definition (/subscriptions/{id}/providers/Microsoft.Authorization/roleDefinitions/{guid}).')
param roleDefinitionId string

@description('Why the assignment exists, shown in the portal.')
param assignmentDescription string

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, roleDefinitionId)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: roleDefinitionId
    description: assignmentDescription
  }
}

output roleAssignmentId string = assignment.id

"""Cost models: itemised line items for provisioned, reserved and Serverless options, and extras."""
